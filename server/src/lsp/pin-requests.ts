/**
 * Live-host pins on the server side: which pin sets exist and hold a pin, the edit that adds a
 * pin (or creates a pins file), which sets are tied to hosts, and the verdicts on chains the
 * client fetched (diagnostics layer and CodeLens). The server itself never opens a connection.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeLensRefreshRequest,
  TextDocumentEdit,
  type ClientCapabilities,
  type CodeLens,
  type Connection,
  type Range,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import {
  Commands,
  HostTiedPinSets,
  InsertPin,
  PinSets,
  VerifyResults,
  type PinSetSummary,
  type PinSetTie,
  type PinSetVerification,
} from '../../../common/protocol';
import { familyOf, grammarForPath, type GrammarId } from '../engine/languages';
import { Parsers } from '../engine/parser';
import { docsUrl } from '../engine/rule';
import type { PinSet, WorkspaceFacts } from '../engine/workspace';
import { choosePinSet, pinSetAt } from '../pins/choose-pin-set';
import { planPinsFile, pinsFileText } from '../pins/create-pins-file';
import { dominantEol } from '../pins/append-element';
import { hostTies, type HostTie } from '../pins/host-ties';
import { insertPinEdits, type InsertPinOutcome } from '../pins/insert-pin';
import { withParsedPinFile } from '../pins/parsed-pin-file';
import { mapNameOf, pinSetKey } from '../pins/pin-set-names';
import { pinDigest } from '../pins/pin-value';
import { replacePinEdits } from '../pins/replace-pin';
import { VerificationStore } from '../pins/verification-store';
import { toDiagnostic } from './diagnostics';
import type { OpenDocuments } from './documents';
import { fileKey, pathKey, pathToUri, relativeToFolder, uriToPath, type Folders } from './folders';
import type { DiagnosticsPublisher } from './publisher';
import type { SettingsStore } from './settings';

export interface PinRequestDependencies {
  documents: OpenDocuments;
  folders: Folders;
  settings: SettingsStore;
  workspace: WorkspaceFacts;
  publisher: DiagnosticsPublisher;
}

/** A file's text as the editor has it (open) or as on disk, with what an edit must name. */
interface CurrentText {
  id: string;
  uri: string;
  text: string;
  grammar: GrammarId;
  /** The open document's version; null for a file read from disk. */
  version: number | null;
}

/** Registers the pin requests and the CodeLens provider; call `initialize` from onInitialize. */
export function registerPinRequests(connection: Connection, deps: PinRequestDependencies): { initialize(capabilities: ClientCapabilities): void } {
  const { documents, folders, settings, workspace, publisher } = deps;
  const store = new VerificationStore();
  let canRefreshCodeLenses = false;

  const setsOfKey = (key: string): PinSet[] => workspace.pinSets().filter((s) => keyOfId(s.file) === key);

  publisher.addLayer((key, _uri, version) => {
    if (!store.has(key)) return [];
    return store.verify(key, setsOfKey(key), new Date())
      .flatMap(({ result }) => result.findings)
      .map((finding) => toDiagnostic(finding, docsUrl, version ?? null));
  });

  async function currentText(id: string): Promise<CurrentText | undefined> {
    const key = keyOfId(id);
    const open = documents.all().find((d) => d.key === key);
    if (open) return open.grammar ? { id, uri: open.uri, text: open.text, grammar: open.grammar, version: open.version } : undefined;
    const grammar = grammarForPath(id);
    if (!grammar || !path.isAbsolute(id)) return undefined;
    try {
      return { id, uri: pathToUri(id), text: await fs.promises.readFile(id, 'utf8'), grammar, version: null };
    } catch {
      return undefined;
    }
  }

  function relativePath(id: string): string {
    const folder = path.isAbsolute(id) ? folders.containing(id) : undefined;
    return path.isAbsolute(id) ? relativeToFolder(folder, id) : id;
  }

  async function hostsFor(id: string): Promise<Record<string, string>> {
    const folder = path.isAbsolute(id) ? folders.containing(id) : undefined;
    return (await settings.get(folder?.uri ?? uriOfId(id))).hosts;
  }

  function summarize(set: PinSet, digests: readonly string[]): PinSetSummary {
    const held = new Set(set.pins.map((p) => pinDigest(p.value)).filter((d): d is string => d !== undefined));
    const grammar = grammarForPath(set.file) ?? documents.get(set.file)?.grammar;
    const mapName = set.host !== undefined ? mapNameOf(set) : undefined;
    return {
      uri: uriOfId(set.file),
      range: set.range,
      kind: set.kind,
      ...(set.name !== undefined ? { name: set.name } : {}),
      ...(set.host !== undefined ? { host: set.host } : {}),
      ...(mapName !== undefined ? { mapName } : {}),
      language: grammar ? familyOf(grammar) : 'ts',
      pinCount: set.pins.length,
      holds: digests.filter((d) => held.has(pinDigest(d) ?? d)),
    };
  }

  connection.onRequest(PinSets.type, (params) => {
    const digests = params?.pins ?? [];
    return { pinSets: workspace.pinSets().map((set) => summarize(set, digests)) };
  });

  connection.onRequest(InsertPin.type, async (params): Promise<InsertPin.Result> => {
    const digest = pinDigest(params.pin);
    const note = typeof params.note === 'string' ? params.note : undefined;
    if (digest === undefined || params.pin !== digest) {
      return { status: 'failed', message: `'${params.pin}' is not a base64 SHA-256 SPKI digest` };
    }
    const parsers = await Parsers.load();
    if (params.replace) return replacePin(parsers, params.replace, digest);

    // The set: by position in a file (parsed now), or chosen from what the workspace scan knows.
    let id: string;
    let chosen: PinSet | undefined;
    const selector = params.pinSet;
    if (selector && 'file' in selector) {
      id = idOfFile(selector.file);
    } else {
      const choice = choosePinSet(workspace.pinSets(), selector, params.host);
      if (choice.kind === 'none') return createPinsFile(params.pin, params.host, params.createPinsFile === true, note);
      if (choice.kind === 'notFound') return { status: 'failed', message: choice.message };
      if (choice.kind === 'ambiguous') return { status: 'ambiguous', candidates: choice.sets.map((s) => summarize(s, [digest])) };
      chosen = choice.set;
      id = chosen.file;
    }

    const current = await currentText(id);
    if (!current) return { status: 'failed', message: `cannot read ${id}` };
    return withParsedPinFile(parsers, { id, relativePath: relativePath(id), grammar: current.grammar, text: current.text }, (parsed) => {
      const set = chosen ? sameSetIn(parsed.pinSets, chosen) : pinSetAt(parsed.pinSets, (selector as { range: Range }).range.start);
      if (!set) return { status: 'failed', message: `no pin set at that position in ${current.uri} any more` } as const;
      return toInsertResult(current, insertPinEdits(parsed, set, digest, params.host, note));
    });
  });

  /** A quick fix's "replace this pin": the same result shapes as an insert. */
  async function replacePin(parsers: Parsers, at: { file: string; range: Range }, digest: string): Promise<InsertPin.Result> {
    const id = idOfFile(at.file);
    const current = await currentText(id);
    if (!current) return { status: 'failed', message: `cannot read ${id}` };
    return withParsedPinFile(parsers, { id, relativePath: relativePath(id), grammar: current.grammar, text: current.text },
      (parsed) => toInsertResult(current, replacePinEdits(parsed, at.range.start, digest)));
  }

  function toInsertResult(current: CurrentText, outcome: InsertPinOutcome): InsertPin.Result {
    switch (outcome.kind) {
      case 'unsupported':
        return { status: 'failed', message: outcome.reason } as const;
      case 'present':
        return { status: 'present', uri: current.uri, range: outcome.at } as const;
      case 'edits': {
        const edit: WorkspaceEdit = {
          documentChanges: [TextDocumentEdit.create({ uri: current.uri, version: current.version }, outcome.edits)],
        };
        return {
          status: 'edit',
          edit,
          uri: current.uri,
          range: outcome.at,
          ...(outcome.createdHostEntry ? { created: 'hostEntry' as const } : {}),
        } as const;
      }
    }
  }

  async function createPinsFile(pin: string, host: string | undefined, create: boolean, note: string | undefined): Promise<InsertPin.Result> {
    const folder = folders.all()[0];
    if (!folder) return { status: 'failed', message: 'open a folder to create a pins file in' };
    let plan;
    try {
      plan = planPinsFile(folder.path, (await settings.get(folder.uri)).pinsFile);
    } catch (error) {
      return { status: 'failed', message: (error as Error).message };
    }
    const uri = pathToUri(plan.path);
    if (!create) return { status: 'noPinSet', pinsFile: uri };
    const existing = await currentText(plan.path).catch(() => undefined) ??
      (fs.existsSync(plan.path) ? { uri, text: fs.readFileSync(plan.path, 'utf8'), version: null } : undefined);
    if (existing) {
      // A file is there but holds no pin set: the pins go at its end.
      const eol = dominantEol(existing.text);
      const lines = existing.text.split(/\r?\n/);
      const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
      const separator = existing.text === '' ? '' : existing.text.endsWith('\n') ? eol : eol + eol;
      const edit: WorkspaceEdit = {
        documentChanges: [TextDocumentEdit.create({ uri: existing.uri, version: existing.version }, [
          { range: { start: end, end }, newText: separator + pinsFileText(plan.language, pin, host, eol, note) },
        ])],
      };
      return { status: 'edit', edit, uri: existing.uri, range: { start: end, end }, created: 'pinsFile' };
    }
    const start = { line: 0, character: 0 };
    const edit: WorkspaceEdit = {
      documentChanges: [
        { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: true } },
        TextDocumentEdit.create({ uri, version: null }, [{ range: { start, end: start }, newText: pinsFileText(plan.language, pin, host, undefined, note) }]),
      ],
    };
    return { status: 'edit', edit, uri, range: { start, end: start }, created: 'pinsFile' };
  }

  connection.onRequest(HostTiedPinSets.type, async (params): Promise<HostTiedPinSets.Result> => {
    let sets: PinSet[];
    if (params.pinSet) {
      const id = idOfFile(params.pinSet.file);
      const current = await currentText(id);
      const parsers = await Parsers.load();
      const found = current && withParsedPinFile(parsers, { id, relativePath: relativePath(id), grammar: current.grammar, text: current.text },
        (parsed) => pinSetAt(parsed.pinSets, params.pinSet!.range.start));
      sets = found ? [found] : [];
    } else {
      sets = workspace.pinSets();
    }
    // Hosts settings are per folder: tie each folder's sets with its own map.
    const byScope = new Map<string, PinSet[]>();
    for (const set of sets) {
      const scope = (path.isAbsolute(set.file) ? folders.containing(set.file)?.path : undefined) ?? set.file;
      byScope.set(scope, [...(byScope.get(scope) ?? []), set]);
    }
    const ties: HostTie[] = [];
    const skipped: HostTiedPinSets.Result['skipped'] = [];
    const unusedKeys = new Set<string>();
    for (const scopeSets of byScope.values()) {
      const found = hostTies(scopeSets, { ...(await hostsFor(scopeSets[0].file)), ...(params.hosts ?? {}) });
      ties.push(...found.ties);
      for (const skip of found.skipped) {
        if (skip.set) skipped.push({ uri: uriOfId(skip.set.file), name: skip.name, reason: skip.reason });
        else unusedKeys.add(skip.name);
      }
    }
    // A hosts entry is unused only if no folder's sets used it; for one set, other entries are no news.
    for (const tie of ties) if (tie.hostsKey !== undefined) unusedKeys.delete(tie.hostsKey);
    if (!params.pinSet) for (const name of unusedKeys) skipped.push({ name, reason: 'no pin set has this name or host' });
    return { ties: ties.map(toProtocolTie), skipped };
  });

  connection.onRequest(VerifyResults.type, async (params): Promise<VerifyResults.Result> => {
    const touched = new Map<string, string>();
    for (const result of params.results) {
      const id = idOfFile(result.uri);
      const key = keyOfId(id);
      const folder = path.isAbsolute(id) ? folders.containing(id) : undefined;
      const { rotationWarningDays } = await settings.get(folder?.uri ?? result.uri);
      store.set(key, result.setKey, { host: result.host, check: result.check, rotationWarningDays });
      touched.set(key, result.uri);
    }
    for (const [key, uri] of touched) publisher.refresh(key, uri);
    refreshCodeLenses();

    const now = new Date();
    const verdicts: PinSetVerification[] = [];
    for (const [key, uri] of touched) {
      for (const { set, stored, result } of store.verify(key, setsOfKey(key), now)) {
        if (!params.results.some((r) => keyOfId(idOfFile(r.uri)) === key && r.setKey === pinSetKey(set))) continue;
        verdicts.push({
          uri,
          range: set.range,
          ...(set.name !== undefined ? { name: set.name } : {}),
          host: stored.host,
          target: stored.check.target,
          status: result.status,
          matched: result.matched,
          total: result.total,
          ...(result.leafExpiresInDays !== undefined ? { leafExpiresInDays: result.leafExpiresInDays } : {}),
          summary: result.summary,
        });
      }
    }
    return { pinSets: verdicts };
  });

  connection.onCodeLens(async ({ textDocument }): Promise<CodeLens[]> => {
    const key = fileKey(textDocument.uri);
    const sets = setsOfKey(key);
    if (sets.length === 0) return [];
    const { ties } = hostTies(sets, await hostsFor(sets[0].file));
    const verdicts = store.verify(key, sets, new Date());
    const lenses: CodeLens[] = [];
    for (const set of sets) {
      const verdict = verdicts.find((v) => v.set === set);
      const tie = ties.find((t) => t.set === set);
      if (!verdict && !tie) continue;
      const host = verdict?.stored.host ?? tie!.host;
      const setKey = pinSetKey(set)!;
      const start = set.range.start;
      lenses.push({
        range: { start, end: start },
        command: {
          title: verdict ? verdict.result.summary : `Verify against ${host}`,
          command: Commands.verifyPins,
          // The host goes along: a set tied only by an earlier command's hosts map stays tied.
          arguments: [{ pinSet: { file: textDocument.uri, range: set.range }, hosts: { [setKey]: host } }],
        },
      });
    }
    return lenses;
  });

  function refreshCodeLenses(): void {
    if (canRefreshCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  return {
    initialize(capabilities) {
      canRefreshCodeLenses = capabilities.workspace?.codeLens?.refreshSupport === true;
    },
  };
}

function toProtocolTie(tie: HostTie): PinSetTie {
  return {
    uri: uriOfId(tie.set.file),
    range: tie.set.range,
    setKey: tie.setKey,
    ...(tie.set.name !== undefined ? { name: tie.set.name } : {}),
    host: tie.host,
    target: tie.target,
    ...(tie.servername ? { servername: tie.servername } : {}),
  };
}

/** The set in a fresh parse that is `known` (same kind, name and host; nearest position). */
function sameSetIn(sets: readonly PinSet[], known: PinSet): PinSet | undefined {
  const candidates = sets.filter((s) => s.kind === known.kind && s.name === known.name && s.host === known.host);
  const distance = (s: PinSet) => Math.abs(s.range.start.line - known.range.start.line);
  return candidates.sort((a, b) => distance(a) - distance(b))[0];
}

/** Engine ids are absolute paths for files and URIs for other documents. */
function keyOfId(id: string): string {
  return path.isAbsolute(id) ? pathKey(id) : fileKey(id);
}

function uriOfId(id: string): string {
  return path.isAbsolute(id) ? pathToUri(id) : id;
}

/** A selector's `file`: a `file:` URI or absolute path becomes a path, other URIs stay. */
function idOfFile(file: string): string {
  if (path.isAbsolute(file)) return path.resolve(file);
  return uriToPath(file) ?? file;
}
