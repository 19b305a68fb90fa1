/**
 * "Restrict the check to a host…" (pin-check-ignores-host in Dart and Swift): asks for the host
 * name, then asks the server for the edit that rejects every other host before the pin check,
 * and applies it. The code action passes the check's range and the document version it saw.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { isHostName } from '../../common/host-name';
import { Commands, RestrictToHost } from '../../common/protocol';

export function registerRestrictToHost(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.restrictToHost, async (args: RestrictToHost.CommandArguments | undefined) => {
    if (!args || typeof args.uri !== 'string' || typeof args.version !== 'number' || !args.range) {
      void vscode.window.showErrorMessage('Pinning Audit: "Restrict the check to a host" runs from the quick fix of a pin-check-ignores-host finding.');
      return;
    }
    const host = await vscode.window.showInputBox({
      title: 'Restrict the pin check to a host',
      prompt: 'The host whose pins this check compares. Connections to any other host are rejected before the check.',
      placeHolder: 'api.example.com',
      value: args.suggestedHost,
      ignoreFocusOut: true,
      validateInput: (value) => (isHostName(value.trim()) ? undefined : 'Enter a host name such as api.example.com'),
    });
    if (host === undefined) return;
    const params: RestrictToHost.Params = { ...args, host: host.trim() };
    const result = await client.sendRequest(RestrictToHost.type, params);
    if ('error' in result) {
      void vscode.window.showErrorMessage(`Pinning Audit: ${result.error}`);
      return;
    }
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    // A versioned edit is refused when the document changed while the prompt was open.
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage('Pinning Audit: the file changed meanwhile; run the quick fix again.');
    }
  });
}
