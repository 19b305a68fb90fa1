// Helpers for the suites inside the extension host: everything is observed through the vscode API.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readHostConfig, type ExpectedFinding } from './run-config';

export const EXTENSION_ID = 'pinning-audit.pinning-audit';
const SOURCE = 'pinning-audit';

export const config = readHostConfig();

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e workspace folder is not open');
  return folder.uri.fsPath;
}

export function workspaceUri(relativePath: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), ...relativePath.split('/')));
}

export function relativePathOf(uri: vscode.Uri): string {
  return path.relative(workspaceRoot(), uri.fsPath).split(path.sep).join('/');
}

/** The extension's rule ids, from its own package.json (the `pinningAudit.rules` setting's keys). */
export function ruleIds(): string[] {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  const properties = extension.packageJSON.contributes.configuration.properties as Record<string, { properties?: Record<string, unknown> }>;
  return Object.keys(properties['pinningAudit.rules'].properties ?? {});
}

export async function activateExtension(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  await extension.activate();
}

export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** One comparable line per diagnostic: `path:line:col-endLine:endCol level rule message` (1-based, like the CLI). */
export function describeDiagnostic(relativePath: string, diagnostic: vscode.Diagnostic): string {
  const { start, end } = diagnostic.range;
  const range = `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;
  return `${relativePath}:${range} ${LEVEL_OF[diagnostic.severity]} ${ruleOf(diagnostic)} ${diagnostic.message}`;
}

export function describeExpected(finding: ExpectedFinding): string {
  const range = `${finding.line}:${finding.column}-${finding.endLine}:${finding.endColumn}`;
  return `${finding.path}:${range} ${finding.level} ${finding.ruleId} ${finding.message}`;
}

const LEVEL_OF: Record<vscode.DiagnosticSeverity, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'note',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function pinningDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** Every Pinning Audit diagnostic of the workspace, described and sorted. */
export function allDiagnosticLines(): string[] {
  return vscode.languages
    .getDiagnostics()
    .flatMap(([uri, diagnostics]) => diagnostics.filter((d) => d.source === SOURCE).map((d) => describeDiagnostic(relativePathOf(uri), d)))
    .sort();
}

/**
 * The CLI's findings as `allDiagnosticLines` describes diagnostics; `change` may drop a finding
 * (return undefined) or alter it (for example its level) to state what a test expects instead.
 */
export function expectedLines(change: (finding: ExpectedFinding) => ExpectedFinding | undefined = (f) => f): string[] {
  return config.expectedFindings.flatMap((finding) => {
    const changed = change(finding);
    return changed ? [describeExpected(changed)] : [];
  }).sort();
}

/** The described diagnostics of one file. */
export function fileDiagnosticLines(relativePath: string): string[] {
  return pinningDiagnostics(workspaceUri(relativePath)).map((d) => describeDiagnostic(relativePath, d)).sort();
}

export function expectedFileLines(relativePath: string, change: (finding: ExpectedFinding) => ExpectedFinding | undefined = (f) => f): string[] {
  return expectedLines((finding) => (finding.path === relativePath ? change(finding) : undefined));
}

/**
 * Waits until `current()` deep-equals `expected`, and fails with both when it does not within
 * `timeoutMs`. Resolves on the diagnostics-change event, with a poll as a safety net.
 */
export async function waitForEqual<T>(what: string, current: () => T, expected: T, timeoutMs = 20_000): Promise<void> {
  const matches = () => {
    try {
      assert.deepEqual(current(), expected);
      return true;
    } catch {
      return false;
    }
  };
  if (matches()) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      clearInterval(poll);
      listener.dispose();
      resolve();
    };
    const check = () => matches() && done();
    const listener = vscode.languages.onDidChangeDiagnostics(check);
    const poll = setInterval(check, 250);
    const timer = setTimeout(done, timeoutMs);
  });
  assert.deepEqual(current(), expected, `${what} (waited ${timeoutMs / 1000} s)`);
}

export async function openFile(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Replaces the first occurrence of `search` in the (open) document, without saving; with
 * `onLineWith`, the first occurrence on the first line that contains that text.
 */
export async function replaceInDocument(document: vscode.TextDocument, search: string, replacement: string, onLineWith?: string): Promise<void> {
  const text = document.getText();
  const lineStart = onLineWith === undefined ? 0 : text.lastIndexOf('\n', text.indexOf(onLineWith)) + 1;
  const offset = onLineWith !== undefined && text.indexOf(onLineWith) < 0 ? -1 : text.indexOf(search, lineStart);
  if (offset < 0) throw new Error(`"${search}" is not in ${relativePathOf(document.uri)}${onLineWith ? ` after "${onLineWith}"` : ''}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + search.length)), replacement);
  assert.ok(await vscode.workspace.applyEdit(edit), `the edit of ${relativePathOf(document.uri)} was not applied`);
}

/** `line level rule` of each diagnostic of a file: for states where exact columns do not matter. */
export function fileRuleLines(relativePath: string): string[] {
  return pinningDiagnostics(workspaceUri(relativePath))
    .map((d) => `${d.range.start.line + 1} ${LEVEL_OF[d.severity]} ${ruleOf(d)}`)
    .sort();
}

/** Discards unsaved changes and closes every editor. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => relativePathOf(d.uri));
  if (dirty.length > 0) throw new Error(`could not revert ${dirty.join(', ')}`);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
