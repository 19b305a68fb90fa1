import * as vscode from 'vscode';
import type { Status } from '../../common/protocol';

/** The status bar item: the workspace's finding count; a click opens the Problems view. */
export class FindingsStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('pinningAudit.findings', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Pinning Audit';
    this.item.command = 'workbench.actions.view.problems';
    this.showStarting();
    this.item.show();
  }

  showStarting(): void {
    this.item.text = '$(shield) $(sync~spin)';
    this.item.tooltip = 'Pinning Audit: starting…';
    this.item.backgroundColor = undefined;
  }

  showStatus({ findings, scanning }: Status.Params): void {
    this.item.text = scanning ? `$(shield) ${findings} $(sync~spin)` : `$(shield) ${findings}`;
    const count = `${findings} certificate-pinning finding${findings === 1 ? '' : 's'}`;
    this.item.tooltip = `Pinning Audit: ${count}${scanning ? ' (scanning the workspace…)' : ''}. Click to open the Problems view.`;
    this.item.backgroundColor = undefined;
  }

  showStopped(): void {
    this.item.text = '$(shield) $(warning)';
    this.item.tooltip = 'Pinning Audit: the language server is not running. See the "Pinning Audit" output.';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  dispose(): void {
    this.item.dispose();
  }
}
