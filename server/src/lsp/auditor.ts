import * as fs from 'node:fs';
import type { Connection } from 'vscode-languageserver/node';
import type { Engine } from '../engine/analyze';
import { grammarForPath, type GrammarId } from '../engine/languages';
import { looksBinary } from '../engine/scan';
import type { WorkspaceFacts } from '../engine/workspace';
import { toDiagnostics } from './diagnostics';
import type { OpenDocument, OpenDocuments } from './documents';
import { isExcluded, pathKey, pathToUri, relativeToFolder, type Folders } from './folders';
import type { DiagnosticsPublisher } from './publisher';
import type { ScopeSettings, SettingsStore } from './settings';

export interface DiskFile {
  path: string;
  relativePath: string;
  grammar: GrammarId;
}

/** Turns text into published diagnostics, for editor buffers and for files on disk alike. */
export class Auditor {
  constructor(
    private readonly connection: Connection,
    private readonly engine: Engine,
    private readonly settings: SettingsStore,
    private readonly folders: Folders,
    private readonly documents: OpenDocuments,
    private readonly publisher: DiagnosticsPublisher,
    private readonly workspace: WorkspaceFacts,
  ) {}

  /** Audits an open document with its (possibly incrementally re-parsed) tree. */
  async auditDocument(document: OpenDocument): Promise<void> {
    const settings = await this.settings.get(document.uri);
    // Closed meanwhile, or changed: a newer audit is already queued.
    if (!this.documents.isCurrent(document) || document.analysisQueued) return;
    const folder = document.path ? this.folders.containing(document.path) : undefined;
    const relativePath = document.path ? relativeToFolder(folder, document.path) : document.uri;
    const audited = document.grammar && settings.enable &&
      !(folder && isExcluded(relativePath, settings.excludeGlobs)) &&
      document.text.length <= settings.maxFileSizeKb * 1024;
    if (!audited) {
      this.workspace.forget(document.path ?? document.uri);
      this.publisher.publish(document.key, document.uri, [], document.version);
      return;
    }
    try {
      const tree = document.parse(this.engine.parsers);
      const id = document.path ?? document.uri;
      const result = this.engine.analyze(
        { id, relativePath, grammar: document.grammar!, text: document.text, tree },
        { rules: settings.rules, workspace: this.workspace },
      );
      this.workspace.setPinSets(id, result.pinSets);
      this.publisher.publish(document.key, document.uri, this.toDiagnostics(result.findings, document.version), document.version);
    } catch (error) {
      this.logFailure(document.uri, error);
    }
  }

  /**
   * Audits a closed file from disk (after a close, a watched-file event, or during a scan) and
   * publishes under `uri`, or clears it when the file is gone or no longer audited.
   * `folderSettings` saves the scan a settings lookup per file.
   */
  async auditFileOnDisk(filePath: string, uri = pathToUri(filePath), folderSettings?: ScopeSettings): Promise<void> {
    const key = pathKey(filePath);
    const folder = this.folders.containing(filePath);
    const grammar = grammarForPath(filePath);
    const relativePath = relativeToFolder(folder, filePath);
    const settings = folderSettings ?? (folder ? await this.settings.get(folder.uri) : undefined);
    if (!folder || !grammar || !settings?.enable || isExcluded(relativePath, settings.excludeGlobs)) {
      return this.forgetFile(key, filePath);
    }
    let text: string;
    try {
      const stat = await fs.promises.stat(filePath);
      if (!stat.isFile() || stat.size > settings.maxFileSizeKb * 1024) return this.forgetFile(key, filePath);
      text = await fs.promises.readFile(filePath, 'utf8');
    } catch {
      return this.forgetFile(key, filePath); // deleted or unreadable: nothing to show
    }
    if (this.documents.isOpen(key)) return; // opened while we read: the editor's text wins
    if (looksBinary(text)) return this.forgetFile(key, filePath);
    try {
      const result = this.engine.analyze(
        { id: filePath, relativePath, grammar, text },
        { rules: settings.rules, workspace: this.workspace },
      );
      this.workspace.setPinSets(filePath, result.pinSets);
      this.publisher.publish(key, uri, this.toDiagnostics(result.findings, null));
    } catch (error) {
      this.logFailure(filePath, error);
    }
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
