import * as vscode from 'vscode';
import type { Status } from '../../common/protocol';

/** The status bar item: the workspace's finding count; a click opens the Problems view. */
export class FindingsStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  /** Set after an automatic restart: every tooltip says so from then on. */
  private restartNote: string | undefined;
  /** Set when the server crashed too often to be restarted: nothing replaces it until a new status arrives. */
  private gaveUp: string | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem('pinningAudit.findings', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Pinning Audit';
    this.item.command = 'workbench.actions.view.problems';
    this.showStarting();
    this.item.show();
  }

  showStarting(): void {
    this.item.text = '$(shield) $(sync~spin)';
    this.item.tooltip = `Pinning Audit: starting…${this.restartSuffix()}`;
    this.item.backgroundColor = undefined;
  }

  showStatus({ findings, scanning }: Status.Params): void {
    this.gaveUp = undefined;
    this.item.text = scanning ? `$(shield) ${findings} $(sync~spin)` : `$(shield) ${findings}`;
    const count = `${findings} certificate-pinning finding${findings === 1 ? '' : 's'}`;
    this.item.tooltip = `Pinning Audit: ${count}${scanning ? ' (scanning the workspace…)' : ''}. Click to open the Problems view.${this.restartSuffix()}`;
    this.item.backgroundColor = undefined;
  }

  showStopped(): void {
    this.item.text = '$(shield) $(warning)';
    this.item.tooltip = this.gaveUp ?? `Pinning Audit: the language server is not running. See the "Pinning Audit" output.${this.restartSuffix()}`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  /** After an automatic restart (see crash-handler.ts). */
  noteRestart(message: string): void {
    this.restartNote = `${new Date().toLocaleTimeString()}: ${message}`;
    this.item.text = '$(shield) $(debug-restart)';
    this.item.tooltip = `Pinning Audit: restarting…${this.restartSuffix()}`;
  }

  /** The server crashed too often and stays stopped. */
  showGaveUp(message: string): void {
    this.gaveUp = `Pinning Audit: ${message}`;
    this.showStopped();
  }

  private restartSuffix(): string {
    return this.restartNote ? `\n\n${this.restartNote}` : '';
  }

  dispose(): void {
    this.item.dispose();
  }
}
