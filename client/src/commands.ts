import * as vscode from 'vscode';
import { LSPErrorCodes, type LanguageClient } from 'vscode-languageclient/node';
import { ScanWorkspace } from '../../common/protocol';

export const RESTART_SERVER = 'pinningAudit.restartServer';
export const SCAN_WORKSPACE = 'pinningAudit.scanWorkspace';

/** The commands package.json declares; they only talk to the server, which does all the work. */
export function registerCommands(client: LanguageClient, output: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(RESTART_SERVER, async () => {
      output.info('Restarting the language server.');
      await client.restart();
    }),
    vscode.commands.registerCommand(SCAN_WORKSPACE, async () => {
      try {
        if (!client.isRunning()) await client.start();
        const params: ScanWorkspace.Params = {};
        const result = await client.sendRequest(ScanWorkspace.type, params);
        const findings = `${result.findings} finding${result.findings === 1 ? '' : 's'}`;
        const files = `${result.files} file${result.files === 1 ? '' : 's'}`;
        void vscode.window.showInformationMessage(`Pinning Audit: ${findings} in ${files}.`);
      } catch (error) {
        if ((error as { code?: unknown }).code === LSPErrorCodes.RequestCancelled) {
          void vscode.window.showInformationMessage('Pinning Audit: the workspace scan was cancelled.');
          return;
        }
        output.error(`Workspace scan failed: ${error instanceof Error ? error.message : String(error)}`);
        void vscode.window.showErrorMessage('Pinning Audit: the workspace scan failed. See the "Pinning Audit" output.');
      }
    }),
  ];
}
