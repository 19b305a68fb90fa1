/**
 * Code actions: the quick fixes of server/src/fixes as LSP code actions, "Ignore on this line" and
 * "Show documentation" for every diagnostic, and the `source.fixAll.pinningAudit` source action.
 * Edits are versioned (`documentChanges` with the version the diagnostic was computed for), so the
 * client refuses them once the text changed; a stale diagnostic gets no action at all.
 */
import {
  CodeActionKind,
  TextDocumentEdit,
  type CodeAction,
  type CodeActionOptions,
  type CodeActionParams,
  type Command,
  type Connection,
  type Diagnostic,
  type Range,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { Commands, RestrictToHost, SERVER_SOURCE, SetExpirationDate } from '../../../common/protocol';
import { Engine } from '../engine/analyze';
import { SourceFile } from '../engine/source-file';
import type { Level } from '../engine/types';
import { fixAll } from '../fixes/fix-all';
import { fixesFor, restrictToHostFix, type Fix, type FixInput, type TextEdit } from '../fixes/index';
import { isDiagnosticData } from './diagnostics';
import type { OpenDocument, OpenDocuments } from './documents';
import { relativeToFolder, type Folders } from './folders';
import type { SettingsStore } from './settings';

/** Applies every preferred fix that needs no input (`editor.codeActionsOnSave`, "Fix All"). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pinningAudit`;

/** The `codeActionProvider` capability. */
export const CODE_ACTION_PROVIDER: CodeActionOptions = {
  codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND],
  resolveProvider: false,
};

export interface CodeActionServices {
  documents: OpenDocuments;
  folders: Folders;
  settings: SettingsStore;
}

const LEVEL_BY_SEVERITY: Record<number, Level> = { 1: 'error', 2: 'warning', 3: 'note', 4: 'note' };

/** Registers `textDocument/codeAction` and the RestrictToHost request. */
export function registerCodeActions(connection: Connection, services: CodeActionServices): void {
  const provider = new CodeActionProvider(services);
  connection.onCodeAction(async (params) => {
    try {
      return await provider.codeActions(params);
    } catch (error) {
      connection.console.error(`Code actions for ${params?.textDocument?.uri} failed: ${describe(error)}`);
      return [];
    }
  });
  connection.onRequest(RestrictToHost.type, async (params) => {
    try {
      return await provider.restrictToHost(params);
    } catch (error) {
      connection.console.error(`Restricting a pin check to ${params?.host} failed: ${describe(error)}`);
      return { error: 'The edit could not be made; see the "Pinning Audit" output.' };
    }
  });
}

class CodeActionProvider {
  /** The grammars are loaded once per process (Parsers.load is shared): this engine costs no second load. */
  private engine: Promise<Engine> | undefined;
  /**
   * Fixes per document version and diagnostic: the editor asks again at every cursor move, and
   * checking a fix re-parses the file (hundreds of milliseconds for a large Swift file).
   */
  private readonly fixCache = new WeakMap<OpenDocument, { version: number; fixes: Map<string, Fix[]> }>();

  constructor(private readonly services: CodeActionServices) {}

  async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const document = this.services.documents.get(params.textDocument.uri);
    if (!document?.grammar) return [];
    const only = params.context.only;
    const actions: CodeAction[] = [];
    if (wants(only, CodeActionKind.QuickFix)) {
      const engine = await this.loadEngine();
      for (const diagnostic of params.context.diagnostics) actions.push(...this.quickFixes(engine, document, diagnostic));
    }
    // Source actions only when asked for by kind: the light bulb never lists them.
    if (only && wants(only, FIX_ALL_KIND)) {
      const action = await this.fixAllAction(document);
      if (action) actions.push(action);
    }
    return actions;
  }

  private quickFixes(engine: Engine, document: OpenDocument, diagnostic: Diagnostic): CodeAction[] {
    const data = diagnostic.data;
    if (diagnostic.source !== SERVER_SOURCE || !isDiagnosticData(data)) return [];
    // Computed for another text: its range may point anywhere now. The next publication brings fresh ones.
    if (data.documentVersion !== document.version) return [];
    const fixes = this.cachedFixes(document, `${data.ruleId}@${JSON.stringify(diagnostic.range)}`, () => fixesFor(this.sourceFile(engine, document), {
      ruleId: data.ruleId,
      range: diagnostic.range,
      data: typeof data.fix === 'string' ? { ...data, fix: data.fix } : undefined,
      level: LEVEL_BY_SEVERITY[diagnostic.severity ?? 1],
      message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
      // Ignore comments suppress engine findings only (not, say, live-host verification results).
    }, engine.parsers, { ignore: !!engine.ruleById(data.ruleId) }));
    const actions = fixes.map((fix) => this.toAction(fix, document, diagnostic)).filter((a): a is CodeAction => !!a);
    const docsUrl = engine.ruleById(data.ruleId)?.meta.docsUrl ?? diagnostic.codeDescription?.href;
    if (docsUrl) {
      const title = `Show documentation for ${data.ruleId}`;
      actions.push({
        title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title, command: 'vscode.open', arguments: [docsUrl] },
      });
    }
    // Where no fix exists, reading how to fix it is the best next step.
    if (!actions.some((a) => a.isPreferred) && docsUrl) actions[actions.length - 1].isPreferred = true;
    return actions;
  }

  private cachedFixes(document: OpenDocument, key: string, compute: () => Fix[]): Fix[] {
    // By the document object: a closed and reopened file starts again at version 1 with other text.
    let entry = this.fixCache.get(document);
    if (entry?.version !== document.version) {
      entry = { version: document.version, fixes: new Map() };
      this.fixCache.set(document, entry);
    }
    let fixes = entry.fixes.get(key);
    if (!fixes) {
      fixes = compute();
      entry.fixes.set(key, fixes);
    }
    return fixes;
  }

  private toAction(fix: Fix, document: OpenDocument, diagnostic: Diagnostic): CodeAction | undefined {
    const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
    if (fix.preferred) action.isPreferred = true;
    if (fix.edits) {
      action.edit = versionedEdit(document, fix.edits);
      return action;
    }
    const command = fix.input && commandFor(fix.input, document, diagnostic.range, fix.title);
    if (!command) return undefined;
    action.command = command;
    return action;
  }

  private async fixAllAction(document: OpenDocument): Promise<CodeAction | undefined> {
    const engine = await this.loadEngine();
    const settings = await this.services.settings.get(document.uri);
    if (!settings.enable || !this.services.documents.isCurrent(document)) return undefined;
    const { version, text } = document;
    const result = fixAll(engine, { id: document.path ?? document.uri, relativePath: this.relativePath(document), grammar: document.grammar!, text }, { rules: settings.rules });
    if (result.applied.length === 0 || version !== document.version) return undefined;
    const count = result.applied.length;
    return {
      title: `Fix ${count} Pinning Audit finding${count === 1 ? '' : 's'} (the preferred fixes that need no input)`,
      kind: FIX_ALL_KIND,
      edit: { documentChanges: [TextDocumentEdit.create({ uri: document.uri, version }, [changedRegion(text, result.text)])] },
    };
  }

  async restrictToHost(params: RestrictToHost.Params): Promise<RestrictToHost.Result> {
    if (typeof params?.host !== 'string' || !params.range?.start || !params.range.end) return { error: 'A host name and the check\'s range are needed.' };
    const document = this.services.documents.get(params.uri);
    if (!document?.grammar) return { error: 'The file is not open in the editor.' };
    if (document.version !== params.version) return { error: 'The file changed since the check was found; run the quick fix again.' };
    const engine = await this.loadEngine();
    const fix = restrictToHostFix(this.sourceFile(engine, document), params.range, params.host.trim(), engine.parsers);
    if (!fix?.edits) return { error: `The pin check cannot be restricted to "${params.host}" here.` };
    return { edit: versionedEdit(document, fix.edits) };
  }

  private loadEngine(): Promise<Engine> {
    this.engine ??= Engine.create();
    return this.engine;
  }

  /** The document as the fixes see it: its current text and (incrementally kept) tree. */
  private sourceFile(engine: Engine, document: OpenDocument): SourceFile {
    const tree = document.parse(engine.parsers);
    return new SourceFile(document.path ?? document.uri, this.relativePath(document), document.grammar!, document.text, tree, document.lineStarts);
  }

  private relativePath(document: OpenDocument): string {
    return document.path ? relativeToFolder(this.services.folders.containing(document.path), document.path) : document.uri;
  }
}

/** Whether a request's `only` filter lets `kind` through (`source` admits `source.fixAll.pinningAudit`). */
function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function versionedEdit(document: OpenDocument, edits: readonly TextEdit[]): WorkspaceEdit {
  return { documentChanges: [TextDocumentEdit.create({ uri: document.uri, version: document.version }, [...edits])] };
}

/** The client command that asks for what a fix needs, with the pin set or check it works on. */
function commandFor(input: FixInput, document: OpenDocument, range: Range, title: string): Command | undefined {
  switch (input.kind) {
    case 'backupPinFromNewKey':
      return { title, command: Commands.createBackupKey, arguments: [{ pinSet: { file: document.uri, range: input.pinSet.range } }] };
    case 'backupPinFromHost':
      return { title, command: Commands.fetchPins, arguments: [{ pinSet: { file: document.uri, range: input.pinSet.range } }] };
    case 'backupPinFromCertificateFile':
      return { title, command: Commands.pinFromCertificateFile, arguments: [{ pinSet: { file: document.uri, range: input.pinSet.range } }] };
    case 'replacePinFromHost':
      return { title, command: Commands.fetchPins, arguments: [{ replace: { file: document.uri, range: input.replace.range } }] };
    case 'restrictToHost': {
      const args: RestrictToHost.CommandArguments = { uri: document.uri, version: document.version, range };
      if (input.suggestedHost) args.suggestedHost = input.suggestedHost;
      return { title, command: Commands.restrictToHost, arguments: [args] };
    }
    case 'newExpirationDate': {
      const args: SetExpirationDate.CommandArguments = { uri: document.uri, version: document.version, range: input.date.range, current: input.current };
      return { title, command: Commands.setExpirationDate, arguments: [args] };
    }
  }
}

/** One edit replacing only the span that differs: markers and the cursor outside it stay put. */
function changedRegion(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  if (start > 0 && before[start - 1] === '\r' && before[start] === '\n') start--; // never between CR and LF
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  if (end > 0 && before[before.length - end] === '\n' && before[before.length - end - 1] === '\r') end--;
  const position = (offset: number) => {
    const lines = before.slice(0, offset).split(/\r\n|\r|\n/);
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  };
  return { range: { start: position(start), end: position(before.length - end) }, newText: after.slice(start, after.length - end) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.stack ?? error.message : String(error);
}
