import type { Connection } from 'vscode-languageserver/node';
import { readThroughCache, type ScanCache, type CachedOutcome } from '../cache/scan-cache';
import type { Engine } from '../engine/analyze';
import { grammarForPath, type GrammarId } from '../engine/languages';
import { decoder } from '../engine/source-bytes';
import type { WorkspaceFacts } from '../engine/workspace';
import { toDiagnostics } from './diagnostics';
import type { OpenDocument, OpenDocuments } from './documents';
import { isExcluded, pathKey, pathToUri, relativeToFolder, type Folders } from './folders';
import type { DiagnosticsPublisher } from './publisher';
import type { ScopeSettings, SettingsStore } from './settings';

/** What became of a file on disk: not audited (skipped, gone, excluded, open), or audited from the scan cache, without a parse, or with one. */
export type DiskAudit = 'not audited' | 'from cache' | 'not parsed' | 'parsed';

export interface DiskFile {
  path: string;
  relativePath: string;
  grammar: GrammarId;
}

/** Turns text into published diagnostics, for editor buffers and for files on disk alike. */
export class Auditor {
  /** Open documents whose size skip was logged. */
  private readonly reportedTooLarge = new WeakSet<OpenDocument>();

  constructor(
    private readonly connection: Connection,
    private readonly engine: Engine,
    private readonly settings: SettingsStore,
    private readonly folders: Folders,
    private readonly documents: OpenDocuments,
    private readonly publisher: DiagnosticsPublisher,
    private readonly workspace: WorkspaceFacts,
  ) {}

  /** Audits an open document: from its parts or its incrementally re-parsed tree (`OpenDocument.analysisTrees`). */
  async auditDocument(document: OpenDocument): Promise<void> {
    const settings = await this.settings.get(document.uri);
    // Closed meanwhile, or changed: a newer audit is already queued.
    if (!this.documents.isCurrent(document) || document.analysisQueued) return;
    const folder = document.path ? this.folders.containing(document.path) : undefined;
    const relativePath = document.path ? relativeToFolder(folder, document.path) : document.uri;
    const tooLarge = document.text.length > settings.maxFileSizeKb * 1024;
    if (!tooLarge) this.reportedTooLarge.delete(document);
    else if (!this.reportedTooLarge.has(document)) {
      // Once while it stays too large, not at every keystroke.
      this.reportedTooLarge.add(document);
      this.connection.console.info(`Skipped ${document.uri}: larger than ${settings.maxFileSizeKb} KB (pinningAudit.maxFileSizeKb)`);
    }
    const audited = document.grammar && settings.enable && !(folder && isExcluded(relativePath, settings.excludeGlobs)) && !tooLarge;
    if (!audited) {
      this.workspace.forget(document.path ?? document.uri);
      this.publisher.publish(document.key, document.uri, [], document.version);
      return;
    }
    try {
      const id = document.path ?? document.uri;
      const result = this.engine.analyze(
        { id, relativePath, grammar: document.grammar!, text: document.text, lineStarts: document.lineStarts, ...document.analysisTrees(this.engine.parsers) },
        { rules: settings.rules, workspace: this.workspace, rotationWarningDays: settings.rotationWarningDays },
      );
      if (result.skipped) {
        // Too broken to parse (in time): show nothing rather than findings of an older text.
        this.connection.console.info(`Skipped ${document.uri}: ${result.skipped}`);
        this.workspace.forget(id);
        this.publisher.publish(document.key, document.uri, [], document.version);
        return;
      }
      this.workspace.setPinSets(id, result.pinSets);
      this.publisher.publish(document.key, document.uri, this.toDiagnostics(result.findings, document.version), document.version);
    } catch (error) {
      this.logFailure(document.uri, error);
    } finally {
      // After the publication, off the edit's path (a document closed meanwhile freed them already).
      setImmediate(() => document.deleteReplacedTrees());
    }
  }

  /**
   * Audits a closed file from disk (after a close, a watched-file event, or during a scan) and
   * publishes under `uri`, or clears it when the file is gone or no longer audited; true when it
   * was audited. `folderSettings` saves the scan a settings lookup per file. A file that cannot
   * be audited (not a regular file, too large, unreadable, binary) is skipped with one line in
   * the log; one that is gone is only reported during a scan, where it vanished after the walk
   * found it. Its bytes are searched for trigger words before anything is decoded: in a
   * workspace scan, most files are no more than that. With the scan's `cache`, a file it holds
   * is not parsed (nor read, when a `stat` shows it unchanged).
   */
  async auditFileOnDisk(filePath: string, uri = pathToUri(filePath), folderSettings?: ScopeSettings, cache?: ScanCache<CachedOutcome>): Promise<DiskAudit> {
    const key = pathKey(filePath);
    const folder = this.folders.containing(filePath);
    const grammar = grammarForPath(filePath);
    const relativePath = relativeToFolder(folder, filePath);
    const settings = folderSettings ?? (folder ? await this.settings.get(folder.uri) : undefined);
    if (!folder || !grammar || !settings?.enable || isExcluded(relativePath, settings.excludeGlobs)) {
      this.forgetFile(key, filePath);
      return 'not audited';
    }
    const skip = (reason: string): DiskAudit => {
      this.connection.console.info(`Skipped ${filePath}: ${reason}`);
      this.forgetFile(key, filePath);
      return 'not audited';
    };
    const file = { path: filePath, relativePath };
    const source = readThroughCache(file, settings.maxFileSizeKb * 1024, cache);
    if ('cached' in source) return this.publishCached(key, uri, filePath, source.cached);
    if ('reason' in source) {
      if (source.gone && !folderSettings) {
        this.forgetFile(key, filePath);
        return 'not audited';
      }
      return skip(source.reason);
    }
    if (this.documents.isOpen(key)) return 'not audited'; // opened meanwhile: the editor's text wins
    try {
      const result = this.engine.analyzeBytes(
        { id: filePath, relativePath, grammar },
        source.bytes,
        decoder(source),
        { rules: settings.rules, workspace: this.workspace, rotationWarningDays: settings.rotationWarningDays },
      );
      if (result.skipped) return skip(result.skipped);
      cache?.record(file, { findings: result.findings, pinSets: result.pinSets }, result.datedToday);
      this.workspace.setPinSets(filePath, result.pinSets);
      this.publisher.publish(key, uri, this.toDiagnostics(result.findings, null));
      return result.parsed ? 'parsed' : 'not parsed';
    } catch (error) {
      this.logFailure(filePath, error);
      return 'not audited';
    }
  }

  /** A file's findings and pin sets as the scan cache holds them (no rule reads other files' pin sets). */
  private publishCached(key: string, uri: string, filePath: string, outcome: CachedOutcome): DiskAudit {
    if (this.documents.isOpen(key)) return 'not audited'; // opened meanwhile: the editor's text wins
    this.workspace.setPinSets(filePath, outcome.pinSets);
    this.publisher.publish(key, uri, this.toDiagnostics(outcome.findings, null));
    return 'from cache';
  }

  /** For a closed file that is gone or no longer audited. */
  forgetFile(key: string, id: string): void {
    this.workspace.forget(id);
    if (!this.documents.isOpen(key)) this.publisher.clear(key);
  }

  private toDiagnostics(findings: Parameters<typeof toDiagnostics>[0], version: number | null) {
    return toDiagnostics(findings, (ruleId) => this.engine.ruleById(ruleId)?.meta.docsUrl, version);
  }

  private logFailure(file: string, error: unknown): void {
    const detail = error instanceof Error ? error.stack ?? error.message : String(error);
    this.connection.console.error(`Could not audit ${file}: ${detail}`);
  }
}
