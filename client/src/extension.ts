/**
 * The extension is UI only: it starts the language server (dist/server.js), shows its finding
 * count in the status bar and forwards commands. All analysis happens in the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Status } from '../../common/protocol';
import { registerCommands } from './commands';
import { crashHandler } from './crash-handler';
import { registerPinCommands } from './pin-commands';
import { registerRestrictToHost } from './restrict-to-host';
import { registerSetExpirationDate } from './set-expiration-date';
import { rereadSettingsWhenTrusted, trustedSettingsMiddleware } from './trust';
import { FindingsStatusItem } from './status';

// `xml`: Android's network security config and iOS plists (package.json adds `.plist` to it).
const LANGUAGES = ['dart', 'swift', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'xml'];
const WATCHED_FILES = '**/*.{dart,swift,ts,tsx,js,jsx,mjs,cjs,mts,cts,xml,plist}';

let client: LanguageClient | undefined;

/** This workspace's storage folder (or the global one, with no folder open), created; undefined when it is not on disk. */
async function scanStoragePath(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<string | undefined> {
  const storage = context.storageUri ?? context.globalStorageUri;
  if (storage.scheme !== 'file') return undefined;
  try {
    await vscode.workspace.fs.createDirectory(storage);
    return storage.fsPath;
  } catch (error) {
    output.warn(`No scan cache: cannot create ${storage.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Pinning Audit', { log: true });
  const statusItem = new FindingsStatusItem();
  context.subscriptions.push(output, statusItem);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      // Another extension may give plists a language of its own: they are audited all the same.
      { scheme: 'file', pattern: '**/*.plist' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher(WATCHED_FILES) },
    outputChannel: output,
    errorHandler: crashHandler(statusItem, output),
    middleware: trustedSettingsMiddleware(),
    // Where the server keeps its workspace scan's results, so a reopened workspace re-parses only changed files.
    initializationOptions: { storagePath: await scanStoragePath(context, output) },
  };
  // The id `pinningAudit` makes the client honour the `pinningAudit.trace.server` setting.
  client = new LanguageClient('pinningAudit', 'Pinning Audit', serverOptions, clientOptions);
  const languageClient = client;

  // By method name, like the commands: see commands.ts for why not `Status.type`.
  context.subscriptions.push(
    languageClient.onNotification(Status.type, (status) => statusItem.showStatus(status)),
    languageClient.onDidChangeState(({ newState }) => {
      setServerStateContext(newState);
      if (newState === State.Starting) statusItem.showStarting();
      if (newState === State.Stopped) statusItem.showStopped();
    }),
    ...registerCommands(languageClient, output),
    ...registerPinCommands(languageClient, output),
    registerRestrictToHost(languageClient),
    registerSetExpirationDate(),
    rereadSettingsWhenTrusted(languageClient),
  );
  setServerStateContext(languageClient.state);

  try {
    await languageClient.start();
  } catch (error) {
    output.error(`Could not start the language server: ${error instanceof Error ? error.message : String(error)}`);
    statusItem.showStopped();
  }
}

/** The `when` clauses in package.json (`menus.commandPalette`) read `pinningAudit.serverState`. */
function setServerStateContext(state: State): void {
  const name = state === State.Running ? 'running' : state === State.Starting ? 'starting' : 'stopped';
  void vscode.commands.executeCommand('setContext', 'pinningAudit.serverState', name);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
