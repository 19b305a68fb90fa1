import * as path from 'node:path';
import {
  DidChangeConfigurationNotification,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { ScanWorkspace, SETTINGS_SECTION } from '../../../common/protocol';
import { Engine } from '../engine/analyze';
import { WorkspaceFacts } from '../engine/workspace';
import { Auditor } from './auditor';
import { CODE_ACTION_PROVIDER, registerCodeActions } from './code-actions';
import { OpenDocument, OpenDocuments, whenSettled } from './documents';
import { registerPinRequests } from './pin-requests';
import { fileKey, Folders, uriToPath } from './folders';
import { DiagnosticsPublisher } from './publisher';
import { ScanStorage } from './scan-storage';
import { SettingsStore } from './settings';
import { WorkspaceScanner } from './workspace-scan';

/** Wires LSP messages to the engine: open documents are audited as they change, the rest by a background scan. */
export function startServer(connection: Connection): void {
  const documents = new OpenDocuments();
  const folders = new Folders();
  const publisher = new DiagnosticsPublisher(connection);
  const workspace = new WorkspaceFacts();
  let canPullSettings = false;
  let canRegisterSettingsChanges = false;
  let canWatchFolders = false;
  const settings = new SettingsStore(connection, () => canPullSettings);
  const pinRequests = registerPinRequests(connection, { documents, folders, settings, workspace, publisher });
  registerCodeActions(connection, { documents, folders, settings });
  /** Set once the grammars are loaded; without it the server answers but audits nothing. */
  let auditor: Auditor | undefined;
  let scanner: WorkspaceScanner | undefined;

  /** Handlers log and carry on: one bad message or file must not take the server down. */
  function guarded<A extends unknown[]>(what: string, handler: (...args: A) => unknown) {
    return (...args: A): void => {
      try {
        const result = handler(...args);
        if (result instanceof Promise) result.catch((error: unknown) => logError(what, error));
      } catch (error) {
        logError(what, error);
      }
    };
  }

  function logError(what: string, error: unknown): void {
    connection.console.error(`${what} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }

  function auditWhenSettled(document: OpenDocument): void {
    whenSettled(document, () => documents.isCurrent(document), guarded(`Auditing ${document.uri}`, () => auditor?.auditDocument(document)));
  }

  function rescan(): void {
    void scanner?.scan().catch((error: unknown) => logError('Workspace scan', error));
  }

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const workspaceCapabilities = params.capabilities.workspace;
    canPullSettings = workspaceCapabilities?.configuration === true;
    canRegisterSettingsChanges = workspaceCapabilities?.didChangeConfiguration?.dynamicRegistration === true;
    canWatchFolders = workspaceCapabilities?.workspaceFolders === true;
    const initialFolders: WorkspaceFolder[] = params.workspaceFolders ??
      (params.rootUri ? [{ uri: params.rootUri, name: params.rootUri }] : []);
    folders.set(initialFolders);
    pinRequests.initialize(params.capabilities);
    try {
      const engine = await Engine.create();
      auditor = new Auditor(connection, engine, settings, folders, documents, publisher, workspace);
      const storage = ScanStorage.fromInitializationOptions(params.initializationOptions);
      scanner = new WorkspaceScanner(connection, auditor, settings, folders, documents, publisher, storage);
    } catch (error) {
      logError('Loading the tree-sitter grammars', error);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: CODE_ACTION_PROVIDER,
      },
      serverInfo: { name: 'Pinning Audit' },
    };
  });

  connection.onInitialized(guarded('Initialized', async () => {
    if (canRegisterSettingsChanges) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: [SETTINGS_SECTION, 'files.exclude'] });
    }
    if (canWatchFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(guarded('Workspace folder change', (event) => {
        folders.remove(event.removed);
        folders.add(event.added);
        for (const folder of event.removed) settings.forget(folder.uri);
        rescan(); // also clears files of removed folders
      }));
    }
    rescan();
  }));

  connection.onDidOpenTextDocument(guarded('Opening a document', ({ textDocument }) => {
    const document = new OpenDocument(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
    documents.open(document);
    auditWhenSettled(document);
  }));

  connection.onDidChangeTextDocument(guarded('Changing a document', ({ textDocument, contentChanges }) => {
    const document = documents.get(textDocument.uri);
    if (!document) {
      connection.console.warn(`Change for a document that is not open: ${textDocument.uri}`);
      return;
    }
    document.applyChanges(contentChanges, textDocument.version);
    auditWhenSettled(document);
  }));

  connection.onDidCloseTextDocument(guarded('Closing a document', async ({ textDocument }) => {
    const document = documents.close(textDocument.uri);
    settings.forget(textDocument.uri);
    if (!document) return;
    if (!auditor) return publisher.clear(document.key);
    // A closed workspace file keeps its Problems entries, audited from disk; anything else is cleared.
    if (document.path) await auditor.auditFileOnDisk(document.path, document.uri);
    else auditor.forgetFile(document.key, document.uri);
  }));

  connection.onDidChangeWatchedFiles(guarded('Watched file change', async ({ changes }) => {
    for (const change of changes) {
      const filePath = uriToPath(change.uri);
      if (!filePath || !auditor || documents.isOpen(fileKey(change.uri))) continue;
      if (change.type === FileChangeType.Deleted) {
        // A deleted folder arrives as one event: clear everything that was under it.
        const key = fileKey(change.uri);
        for (const shown of publisher.shown()) {
          const shownPath = uriToPath(shown.uri);
          if (shownPath && (shown.key === key || shown.key.startsWith(key + path.sep))) await auditor.auditFileOnDisk(shownPath, shown.uri);
        }
        auditor.forgetFile(key, filePath);
      } else {
        await auditor.auditFileOnDisk(filePath);
      }
    }
  }));

  connection.onDidChangeConfiguration(guarded('Configuration change', ({ settings: pushed }) => {
    settings.clear(pushed);
    for (const document of documents.all()) auditWhenSettled(document);
    rescan();
  }));

  connection.onRequest(ScanWorkspace.type, async (_params, token) => {
    if (!scanner) throw new Error('Pinning Audit could not load its grammars; see the output channel.');
    const result = await scanner.scanUntilDone(token);
    if (!result) return new ResponseError(LSPErrorCodes.RequestCancelled, 'The workspace scan was cancelled.');
    return result;
  });

  connection.onShutdown(() => {
    scanner?.cancel();
    documents.closeAll();
  });

  connection.listen();
}
