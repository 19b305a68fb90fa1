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
import { isCertificateName } from '../../common/host-name';
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
import { backupNote, defaultKeyFolder, keyTypeChoices, riskyKeyFolder } from './pins/backup-key-choices';
import {
  parseBackupKeyArgs,
  parseCertificateFileArgs,
  parseFetchPinsArgs,
  parseVerifyPinsArgs,
  type BackupKeyArgs,
  type BackupKeyCommandResult,
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
    vscode.commands.registerCommand(Commands.createBackupKey, (raw?: unknown) => {
      const scripted = typeof (raw as { type?: unknown } | undefined)?.type === 'string';
      return guarded(output, 'Create backup key', scripted, () => pins.createBackupKey(parseBackupKeyArgs(raw), scripted));
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

  /**
   * A backup key for a pin set: the key pair and CSR are made here, in the client, and saved to
   * disk (the private key never reaches the server or a log); only the pin goes to the server,
   * with a comment naming the key file, which records it as the set's backup.
   */
  async createBackupKey(args: BackupKeyArgs, scripted: boolean): Promise<BackupKeyCommandResult | undefined> {
    const client = await this.running();
    const { pinSets } = await client.sendRequest(PinSets.type, { pins: [] });
    const target = args.pinSet && 'file' in args.pinSet ? args.pinSet : undefined;
    const summary = target && pinSets.find((s) => s.uri === target.file && s.range.start.line === target.range.start.line && s.range.start.character === target.range.start.character);
    let type = args.type;
    if (type === undefined) {
      const choices = keyTypeChoices(summary?.language);
      const picked = await vscode.window.showQuickPick(choices, {
        title: 'Pinning Audit: Create Backup Key: key type',
        placeHolder: summary && summary.language !== 'ts' ? 'Key types this pin set\'s platform accepts (Ed25519 only for Node.js clients)' : 'Key type (EC P-256 suits every platform)',
        ignoreFocusOut: true,
      });
      if (!picked) return undefined;
      type = picked.type;
    }
    const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const suggested = defaultKeyFolder(vscode.workspace.workspaceFolders?.[0]?.name);
    let dir = args.dir !== undefined ? path.resolve(workspaceFolders[0] ?? process.cwd(), args.dir) : scripted ? suggested : undefined;
    if (dir === undefined) {
      const where = await vscode.window.showQuickPick([
        { label: `Save in ${suggested}`, description: 'outside the workspace', dir: suggested },
        { label: 'Choose a folder…', dir: undefined },
      ], { title: 'Pinning Audit: Create Backup Key: where to save the key (keep it offline)', ignoreFocusOut: true });
      if (!where) return undefined;
      dir = where.dir ?? (await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, title: 'Folder for the backup key' }))?.[0]?.fsPath;
      if (!dir) return undefined;
    }
    const risk = riskyKeyFolder(dir, workspaceFolders);
    if (risk) {
      const confirmed = scripted
        ? args.saveInsideWorkspace === true
        : (await vscode.window.showWarningMessage(
          `${risk}: a private key there can be committed or shared with the code. Nothing is added to git, but you must keep it out yourself. Save it there anyway?`,
          { modal: true },
          'Save There',
        )) === 'Save There';
      if (!confirmed) {
        if (scripted) throw new Error(`${risk}: pass saveInsideWorkspace: true to save a private key there`);
        return undefined;
      }
    }
    let hosts = args.hosts ?? (scripted ? (summary?.host ? [summary.host] : []) : undefined);
    if (hosts === undefined) {
      const typed = await vscode.window.showInputBox({
        title: 'Pinning Audit: Create Backup Key: host names for the CSR (optional)',
        prompt: 'Comma-separated DNS names the certificate for this key will carry; the CSR goes to your CA at rotation time.',
        value: summary?.host ?? '',
        ignoreFocusOut: true,
        validateInput: (value) => splitHosts(value).every(isCertificateName) ? undefined : 'Host names such as api.example.com or *.example.com, separated by commas',
      });
      if (typed === undefined) return undefined;
      hosts = splitHosts(typed);
    }
    const { BackupKeyExistsError, createBackupKey, defaultKeyName } = await import('./certificates.js');
    const request = { type, dir, hosts };
    // A second key on the same day gets `-2`, `-3`…: an existing key file is never touched.
    const make = async (attempt: number): Promise<Awaited<ReturnType<typeof createBackupKey>>> => {
      const name = args.name ?? (attempt === 1 ? undefined : `${defaultKeyName(request.hosts)}-${attempt}`);
      try {
        return await createBackupKey({ ...request, ...(name ? { name } : {}) });
      } catch (error) {
        if (error instanceof BackupKeyExistsError && args.name === undefined && attempt < 9) return make(attempt + 1);
        throw error;
      }
    };
    const key = await make(1);
    this.output.info(`Created backup key ${key.keyPath} (${type}) and CSR ${key.csrPath}; pin sha256/${key.spkiSha256}.`);
    const insertArgs: PinCommandArgs = args.pinSet ? { pinSet: args.pinSet } : {};
    const inserted = await this.insert(key.spkiSha256, undefined, pinSets, insertArgs, scripted, backupNote(key.keyPath, key.createdOn));
    if (!scripted) {
      const pinned = inserted?.inserted ? 'and pinned' : `but not pinned: add sha256/${key.spkiSha256} to the set`;
      void vscode.window.showInformationMessage(`Pinning Audit: backup key saved to ${key.keyPath} (keep it offline) ${pinned}. At rotation, send ${path.basename(key.csrPath)} to your CA.`);
    }
    return { pin: key.spkiSha256, type, keyPath: key.keyPath, csrPath: key.csrPath, inserted: inserted?.inserted === true, ...(inserted?.file ? { file: inserted.file } : {}) };
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

  private async insert(pin: string, host: string | undefined, pinSets: PinSetSummary[], args: PinCommandArgs, scripted: boolean, note?: string): Promise<PinCommandResult | undefined> {
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
      ...(note ? { note } : {}),
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


function splitHosts(value: string): string[] {
  return value.split(',').map((h) => h.trim()).filter(Boolean);
}
