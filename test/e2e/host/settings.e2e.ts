// `pinningAudit.rules` changed through VS Code's settings API refreshes open and closed files alike.
import * as vscode from 'vscode';
import { allDiagnosticLines, closeAllEditors, expectedLines, openFile, waitForEqual } from './workbench';

describe('settings', () => {
  const rules = () => vscode.workspace.getConfiguration('pinningAudit');

  after(async () => {
    await rules().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
  });

  it('turns a rule off, changes its level and restores it, in open and closed files', async () => {
    // One single-pin file open, the others closed: both paths must follow the setting.
    await openFile('ios_app/App/Networking/PinningDelegate.swift');
    await waitForEqual('diagnostics before changing settings', allDiagnosticLines, expectedLines());

    await rules().update('rules', { 'single-pin': 'off' }, vscode.ConfigurationTarget.Workspace);
    await waitForEqual('diagnostics with single-pin off', allDiagnosticLines,
      expectedLines((f) => (f.ruleId === 'single-pin' ? undefined : f)));

    await rules().update('rules', { 'single-pin': 'error', 'trust-all-certificates': 'off' }, vscode.ConfigurationTarget.Workspace);
    await waitForEqual('diagnostics with single-pin at error and trust-all-certificates off', allDiagnosticLines,
      expectedLines((f) => (f.ruleId === 'trust-all-certificates' ? undefined : f.ruleId === 'single-pin' ? { ...f, level: 'error' } : f)));

    await rules().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForEqual('diagnostics after removing the setting', allDiagnosticLines, expectedLines());
  });
});
