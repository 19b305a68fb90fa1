import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, type LanguageClient, type Middleware } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../common/protocol';
import { restrictSection, type InspectedSetting } from './trusted-settings';

/**
 * Answers the server's settings requests with the user-level values of the restricted settings
 * (host list, file paths) while the workspace is not trusted, whatever the workspace's own
 * settings say. package.json's `restrictedConfigurations` asks VS Code for the same; this holds
 * even where that is not honoured.
 */
export function trustedSettingsMiddleware(): Middleware {
  return {
    workspace: {
      configuration: async (params, token, next) => {
        const result = await next(params, token);
        if (!Array.isArray(result) || vscode.workspace.isTrusted) return result;
        return result.map((value: unknown, index: number) => {
          const item = params.items[index];
          if (item?.section !== SETTINGS_SECTION) return value;
          const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
          const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
          return restrictSection(value, false, (key) => config.inspect(key) as InspectedSetting<unknown> | undefined);
        });
      },
    },
  };
}

/** Once the user trusts the workspace, the server reads the settings again, workspace values included. */
export function rereadSettingsWhenTrusted(client: LanguageClient): vscode.Disposable {
  return vscode.workspace.onDidGrantWorkspaceTrust(() => {
    if (client.isRunning()) void client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  });
}
