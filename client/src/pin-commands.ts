/**
 * The live-host pin commands. The client does the network (a TLS handshake per host) and the UI;
 * the server knows the pin sets, computes every edit and judges the pins. The QuickPick content,
 * the choice of set and the argument checks are pure functions in ./pins.
 */
import { isIP } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CertificateInfo, ChainRole } from '../../common/certs/certificate-info';
import { formatTarget, parseTarget } from '../../common/certs/target';
import {
  Commands,
  HostTiedPinSets,
  InsertPin,
  PinSets,
  VerifyResults,
  type PinSetSelector,
  type PinSetSummary,
  type PinSetVerification,
} from '../../common/protocol';
import { networkSettings } from './network-settings';
import { certificateItems, PIN_ACTIONS, pinText, sourceLine, type CertificateSource } from './pins/certificate-items';
import {
  parseCertificateFileArgs,
  parseFetchPinsArgs,
  parseVerifyPinsArgs,
  type PinCommandArgs,
  type PinCommandResult,
  type VerifyPinsArgs,
} from './pins/command-args';
import { staleDocuments } from './pins/edit-versions';
import { pinSetChoices } from './pins/pin-set-choices';
import { fetchGroups, mapLimited, verificationMessage } from './pins/verify-plan';

/** Hosts verified at the same time. */
const PARALLEL_FETCHES = 4;

export function registerPinCommands(client: LanguageClient, output: vscode.LogOutputChannel): vscode.Disposable[] {
  const pins = new PinCommands(client, output);
  return [
    vscode.commands.registerCommand(Commands.fetchPins, (raw?: unknown) => {
      const scripted = typeof (raw as { target?: unknown } | undefined)?.target === 'string';
      return guarded(output, 'Fetch SPKI pins', scripted, () => pins.fetchPins(parseFetchPinsArgs(raw), scripted));
    }),
    vscode.commands.registerCommand(Commands.pinFromCertificateFile, (raw?: unknown) => {
      // From the Explorer context menu the argument is the file's Uri.
      const fromExplorer = raw instanceof vscode.Uri;
      const scripted = !fromExplorer && typeof (raw as { file?: unknown } | undefined)?.file === 'string';
      return guarded(output, 'Pin from certificate file', scripted, () =>
        pins.pinFromFile(fromExplorer ? { file: (raw as vscode.Uri).fsPath } : parseCertificateFileArgs(raw), scripted));
    }),
    vscode.commands.registerCommand(Commands.verifyPins, (raw?: unknown) => {
      const scripted = typeof (raw as { hosts?: unknown } | undefined)?.hosts === 'object' && !(raw as { pinSet?: unknown }).pinSet;
      return guarded(output, 'Verify pins', scripted, () => pins.verifyPins(parseVerifyPinsArgs(raw), scripted));
    }),
  ];
}

class PinCommands {
  constructor(
    private readonly client: LanguageClient,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  async fetchPins(args: ReturnType<typeof parseFetchPinsArgs>, scripted: boolean): Promise<PinCommandResult | undefined> {
    const targetText = args.target ?? (await vscode.window.showInputBox({
      title: 'Pinning Audit: Fetch SPKI Pins from Host',
      prompt: 'host[:port], or an https:// or wss:// URL (port 443 by default). Only a TLS handshake is made.',
      placeHolder: 'api.example.com',
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          parseTarget(value);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    }));
    if (!targetText) return undefined;
    const { host, port } = parseTarget(targetText);
    let servername = args.servername;
    if (servername === undefined && !scripted && isIP(host) !== 0) {
      // An address says nothing about the name the certificate is for.
      const name = await vscode.window.showInputBox({
        title: `Server name for ${formatTarget(host, port)}`,
        prompt: 'Name to send in SNI and check the certificate against; leave empty to send none.',
        ignoreFocusOut: true,
      });
      if (name === undefined) return undefined;
      servername = name.trim() || undefined;
    }
    const network = networkSettings(this.output);
    const { fetchChain, roleOf } = await import('./certificates.js');
    const target = formatTarget(host, port);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Pinning Audit: fetching the certificates of ${target}…`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        const cancelled = token.onCancellationRequested(() => abort.abort());
        return fetchChain({ host, port, servername, timeoutMs: network.timeoutMs, ca: network.ca, signal: abort.signal })
          .finally(() => cancelled.dispose());
      },
    );
    this.output.info(`Fetched ${result.chain.length} certificate(s) from ${result.target} in ${result.elapsedMs.toFixed(0)} ms.`);
    const source: CertificateSource = {
      kind: 'host',
      target: result.target,
      verified: result.verified,
      verifyError: result.verifyError,
      hostnameMatches: result.hostnameMatches,
    };
    const roles = result.chain.map((_, index) => roleOf(index, result.chain));
    return this.pickAndAct(result.chain, roles, source, servername ?? host, args, scripted);
  }

  async pinFromFile(args: ReturnType<typeof parseCertificateFileArgs>, scripted: boolean): Promise<PinCommandResult | undefined> {
    let file = args.file;
    if (file === undefined) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Pinning Audit: Pin from Certificate File',
        canSelectMany: false,
        filters: { Certificates: ['pem', 'crt', 'cer', 'der'], 'All files': ['*'] },
      });
      if (!picked?.[0]) return undefined;
      file = picked[0].fsPath;
    }
    const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const absolute = path.resolve(base, file);
    const { readCertificateFile } = await import('./certificates.js');
    const chain = await readCertificateFile(absolute, vscode.workspace.asRelativePath(absolute));
    return this.pickAndAct(chain, undefined, { kind: 'file', name: path.basename(absolute) }, undefined, args, scripted);
  }

  async verifyPins(args: VerifyPinsArgs, scripted: boolean): Promise<{ pinSets: PinSetVerification[]; skipped: HostTiedPinSets.Result['skipped'] } | undefined> {
    const client = await this.running();
    const { ties, skipped } = await client.sendRequest(HostTiedPinSets.type, { ...(args.hosts ? { hosts: args.hosts } : {}), ...(args.pinSet ? { pinSet: args.pinSet } : {}) });
    for (const skip of skipped) this.output.warn(`Not verified: ${skip.name}${skip.uri ? ` (${vscode.workspace.asRelativePath(vscode.Uri.parse(skip.uri))})` : ''}: ${skip.reason}`);
    if (ties.length === 0) {
      if (!scripted) {
        void vscode.window.showInformationMessage('Pinning Audit: no pin set is tied to a host. Key a map by host name, or map a pin set name to its host in the "pinningAudit.hosts" setting.');
      }
      return { pinSets: [], skipped };
    }
    const network = networkSettings(this.output);
    const { fetchChain, hostCheckFromError, hostCheckFromFetch } = await import('./certificates.js');
    const groups = fetchGroups(ties);
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Pinning Audit: verifying pins against live hosts', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const cancelled = token.onCancellationRequested(() => abort.abort());
        let done = 0;
        try {
          const perGroup = await mapLimited(groups, PARALLEL_FETCHES, async (group) => {
            const { host, port } = group.target;
            let check;
            try {
              const fetched = await fetchChain({ host, port, servername: group.servername, timeoutMs: network.timeoutMs, ca: network.ca, signal: abort.signal });
              check = hostCheckFromFetch(fetched, group.servername, new Date());
            } catch (error) {
              if (abort.signal.aborted) throw error;
              check = hostCheckFromError(formatTarget(host, port), group.servername, error, new Date());
              this.output.warn(`Could not check ${formatTarget(host, port)}: ${check.error}`);
            }
            progress.report({ increment: 100 / groups.length, message: `${++done}/${groups.length} host${groups.length === 1 ? '' : 's'}` });
            return group.ties.map((tie) => ({ uri: tie.uri, setKey: tie.setKey, host: tie.host, check }));
          });
          return perGroup.flat();
        } finally {
          cancelled.dispose();
        }
      },
    );
    const { pinSets } = await client.sendRequest(VerifyResults.type, { results });
    const message = verificationMessage(pinSets);
    for (const set of pinSets) this.output.info(`${set.name ?? set.host}: ${set.summary}`);
    const show = message.level === 'error' ? vscode.window.showErrorMessage : message.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`Pinning Audit: ${message.text}`);
    return { pinSets, skipped };
  }

  /** The certificate QuickPick, the action, and the action itself. */
  private async pickAndAct(
    chain: CertificateInfo[],
    roles: ChainRole[] | undefined,
    source: CertificateSource,
    host: string | undefined,
    args: PinCommandArgs,
    scripted: boolean,
  ): Promise<PinCommandResult | undefined> {
    const client = await this.running();
    const { pinSets } = await client.sendRequest(PinSets.type, { pins: chain.map((c) => c.spkiSha256) });
    const items = certificateItems(chain, roles, pinSets, new Date(), (uri) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri)));
    let index = args.certificateIndex;
    if (index === undefined) {
      const picked = await vscode.window.showQuickPick(items, {
        title: sourceLine(source, chain.length),
        placeHolder: roles ? 'Pick a certificate to pin (leaf first)' : 'Pick a certificate to pin',
        matchOnDescription: true,
        matchOnDetail: true,
        ignoreFocusOut: true,
      });
      if (!picked) return undefined;
      index = picked.index;
    }
    const certificate = chain[index];
    if (!certificate) throw new Error(`certificateIndex ${index}: there ${chain.length === 1 ? 'is 1 certificate' : `are ${chain.length} certificates`}`);
    const pin = certificate.spkiSha256;
    // A quick fix that replaces a pin has chosen the action already.
    let action = args.action ?? (args.replace ? 'insert' : undefined);
    if (action === undefined) {
      const picked = await vscode.window.showQuickPick(PIN_ACTIONS.map((a) => ({ ...a })), { title: `sha256/${pin}`, ignoreFocusOut: true });
      if (!picked) return undefined;
      action = picked.action;
    }
    if (action !== 'insert') {
      await vscode.env.clipboard.writeText(pinText(action, pin));
      if (!scripted) void vscode.window.showInformationMessage(`Pinning Audit: copied ${pinText(action, pin)}`);
      return { pin, action, inserted: false };
    }
    return this.insert(pin, host, pinSets, args, scripted);
  }

  private async insert(pin: string, host: string | undefined, pinSets: PinSetSummary[], args: PinCommandArgs, scripted: boolean): Promise<PinCommandResult | undefined> {
    const client = await this.running();
    const fileName = (uri: string) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
    let selector: PinSetSelector | undefined = args.pinSet;
    if (!scripted && !args.replace && (selector === undefined || 'file' in selector)) {
      const preselected = selector && 'file' in selector ? selector : undefined;
      const choices = pinSetChoices(pinSets, pin, { host, preselected, fileName });
      if (choices.length > 1 || (preselected && choices.length === 1)) {
        const picked = await vscode.window.showQuickPick(choices, { title: 'Insert the pin into which pin set?', placeHolder: `sha256/${pin}`, ignoreFocusOut: true });
        if (!picked) return undefined;
        selector = picked.selector;
      } else if (choices.length === 1) {
        selector = choices[0].selector;
      }
    }

    const request: InsertPin.Params = {
      pin,
      ...(selector ? { pinSet: selector } : {}),
      ...(host ? { host } : {}),
      ...(args.replace ? { replace: args.replace } : {}),
    };
    let result = await client.sendRequest(InsertPin.type, { ...request, createPinsFile: args.createPinsFileIfMissing === true });
    for (;;) {
      if (result.status === 'noPinSet') {
        if (scripted || args.createPinsFileIfMissing === false) return { pin, action: 'insert', inserted: false };
        const create = await vscode.window.showInformationMessage(
          `Pinning Audit: the workspace has no pin set. Create ${fileName(result.pinsFile)} with this pin?`,
          { modal: true },
          'Create',
        );
        if (create !== 'Create') return undefined;
        result = await client.sendRequest(InsertPin.type, { ...request, createPinsFile: true });
      } else if (result.status === 'ambiguous') {
        if (scripted) throw new Error('several pin sets could take the pin: pass pinSet as {file, range}, {name} or {host}');
        const picked = await vscode.window.showQuickPick(pinSetChoices(result.candidates, pin, { host, fileName }), { title: 'Insert the pin into which pin set?', ignoreFocusOut: true });
        if (!picked) return undefined;
        result = await client.sendRequest(InsertPin.type, { ...request, pinSet: picked.selector });
      } else {
        break;
      }
    }

    switch (result.status) {
      case 'failed':
        throw new Error(`cannot insert the pin: ${result.message}`);
      case 'present':
        if (!scripted) void vscode.window.showInformationMessage(`Pinning Audit: ${fileName(result.uri)} already holds sha256/${pin}.`);
        return { pin, action: 'insert', inserted: false, alreadyPresent: true, file: vscode.Uri.parse(result.uri).fsPath };
      case 'edit': {
        const stale = staleDocuments(result.edit, (uri) => {
          const wanted = vscode.Uri.parse(uri).toString();
          const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === wanted);
          return document ? { version: document.version, isDirty: document.isDirty } : undefined;
        });
        if (stale.length) throw new Error(`${stale.map(fileName).join(', ')} changed while the pin was placed; run the command again`);
        const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
        // Into the editor buffer, as one undo step; nothing is saved, unsaved changes stay.
        if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code did not apply the edit to ${fileName(result.uri)} (it changed meanwhile?); run the command again`);
        const uri = vscode.Uri.parse(result.uri);
        if (!scripted) {
          const editor = await vscode.window.showTextDocument(uri, { preview: false });
          const at = client.protocol2CodeConverter.asRange(result.range);
          editor.revealRange(at, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
          editor.selection = new vscode.Selection(at.end, at.end);
        }
        return { pin, action: 'insert', inserted: true, file: uri.fsPath };
      }
    }
    throw new Error(`unexpected answer from the server: ${JSON.stringify(result)}`);
  }

  private async running(): Promise<LanguageClient> {
    if (!this.client.isRunning()) await this.client.start();
    return this.client;
  }
}

/**
 * Runs a command body. Scripted calls (tests, other extensions) get the error as a rejection;
 * people get a message, and a cancelled fetch ends quietly.
 */
async function guarded<T>(output: vscode.LogOutputChannel, what: string, scripted: boolean, body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (scripted) throw error;
    if ((error as Error)?.name === 'AbortError') {
      output.info(`${what}: cancelled.`);
      return undefined;
    }
    output.error(`${what}: ${message}`);
    void vscode.window.showErrorMessage(`Pinning Audit: ${message}`);
    return undefined;
  }
}

