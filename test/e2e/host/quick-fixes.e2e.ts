// Every quick fix the server offers with an edit, applied through the vscode API as the light
// bulb applies it: the diagnostic it fixes must go away. Then "Ignore <rule> on this line".
// One rule at a time (the others off in `pinningAudit.rules`): `vscode.executeCodeActionProvider`
// does not say which diagnostic an action is for, and diagnostics of different rules overlap.
// Each fix starts from the untouched examples and is undone before the next.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExpectedFinding } from './run-config';
import {
  allDiagnosticLines,
  closeAllEditors,
  config,
  expectedLines,
  openFile,
  pinningDiagnostics,
  ruleIds,
  ruleOf,
  waitForEqual,
  workspaceRoot,
  workspaceUri,
} from './workbench';

/** `rule|severity|message`: what identifies a finding wherever an edit moves it. */
const identity = (d: vscode.Diagnostic) => `${ruleOf(d)}|${d.severity}|${d.message}`;

function countOf(file: string, key: string): number {
  return pinningDiagnostics(workspaceUri(file)).filter((d) => identity(d) === key).length;
}

function diagnosticAt(finding: ExpectedFinding): vscode.Diagnostic {
  const diagnostic = pinningDiagnostics(workspaceUri(finding.path))
    .find((d) => ruleOf(d) === finding.ruleId && d.range.start.line === finding.line - 1 && d.range.start.character === finding.column - 1);
  if (!diagnostic) throw new Error(`no ${finding.ruleId} diagnostic at ${finding.path}:${finding.line}:${finding.column}`);
  return diagnostic;
}

/**
 * The quick fixes at the finding, polled until the server's own answer is there ("Ignore …" or
 * "Show documentation for …" names the rule): actions come once the open document's diagnostics are published.
 */
async function quickFixesAt(finding: ExpectedFinding): Promise<vscode.CodeAction[]> {
  const uri = workspaceUri(finding.path);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const range = diagnosticAt(finding).range;
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    if (actions.some((a) => a.title.includes(finding.ruleId))) return actions;
    if (Date.now() > deadline) {
      throw new Error(`no code action of the server for ${finding.ruleId} at ${finding.path}:${finding.line} within 15 s (offered: ${actions.map((a) => a.title).join(' | ') || 'nothing'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const isFix = (action: vscode.CodeAction) => !!action.edit && !action.title.startsWith('Ignore ');

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `"${action.title}": VS Code refused the edit`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/**
 * Every file of the workspace with its text, to put back whatever a fix changed or created;
 * `.vscode` (the settings that isolate one rule) is left alone.
 */
function snapshot(): Map<string, string> {
  const files = new Map<string, string>();
  const settingsFolder = path.join(workspaceRoot(), '.vscode');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (full === settingsFolder) continue;
      if (entry.isDirectory()) walk(full);
      else files.set(full, fs.readFileSync(full, 'utf8'));
    }
  };
  walk(workspaceRoot());
  return files;
}

describe('quick fixes', () => {
  let original: Map<string, string>;
  const settings = () => vscode.workspace.getConfiguration('pinningAudit');
  const findingsOf = (rule: string) => config.expectedFindings.filter((f) => f.ruleId === rule);

  /** Undoes everything (editors reverted, files on disk restored) and waits for `rule`'s diagnostics to be back. */
  async function restore(rule: string | undefined): Promise<void> {
    await closeAllEditors();
    const now = snapshot();
    for (const file of now.keys()) if (!original.has(file)) fs.rmSync(file);
    for (const [file, text] of original) if (now.get(file) !== text) fs.writeFileSync(file, text);
    await waitForEqual('the examples restored', allDiagnosticLines, expectedLines((f) => (rule === undefined || f.ruleId === rule ? f : undefined)));
  }

  before(() => {
    original = snapshot();
  });

  after(async () => {
    await settings().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await restore(undefined);
  });

  for (const rule of ruleIds()) {
    describe(rule, () => {
      before(async function () {
        if (findingsOf(rule).length === 0) this.skip();
        const others = Object.fromEntries(ruleIds().filter((id) => id !== rule).map((id) => [id, 'off']));
        await settings().update('rules', others, vscode.ConfigurationTarget.Workspace);
        await waitForEqual(`only ${rule} diagnostics`, allDiagnosticLines, expectedLines((f) => (f.ruleId === rule ? f : undefined)));
      });

      it('each quick fix with an edit removes its diagnostic', async function () {
        this.timeout(240_000);
        const applied: string[] = [];
        const failures: string[] = [];
        for (const finding of findingsOf(rule)) {
          await openFile(finding.path);
          const titles = (await quickFixesAt(finding)).filter(isFix).map((a) => a.title);
          for (const title of titles) {
            const label = `${finding.path}:${finding.line} "${title}"`;
            await openFile(finding.path);
            // Fresh actions for every fix: the previous one was undone, the document version moved on.
            const fix = (await quickFixesAt(finding)).find((a) => isFix(a) && a.title === title);
            if (!fix) {
              failures.push(`${label}: not offered again on the untouched file`);
              continue;
            }
            const key = identity(diagnosticAt(finding));
            const before = countOf(finding.path, key);
            await apply(fix);
            try {
              await waitForEqual(`${label} removes its diagnostic`, () => countOf(finding.path, key), before - 1, 10_000);
              applied.push(label);
            } catch (error) {
              const text = vscode.workspace.textDocuments.find((d) => d.uri.toString() === workspaceUri(finding.path).toString())?.getText();
              failures.push(`${label}: ${(error as Error).message.split('\n')[0]}; the file then read:\n${text}`);
            }
            await restore(rule);
          }
        }
        assert.deepEqual(failures, [], `fixes that worked: ${applied.join('; ') || 'none'}`);
      });

      if (rule === 'single-pin') {
        it('"Add a backup pin from a new key…" writes the key and CSR outside the workspace and pins the key', async function () {
          this.timeout(60_000);
          const finding = findingsOf(rule).find((f) => f.path.endsWith('.dart')) ?? findingsOf(rule)[0];
          const { document } = await openFile(finding.path);
          const action = (await quickFixesAt(finding)).find((a) => a.title === 'Add a backup pin from a new key…');
          assert.ok(action?.command, `no "Add a backup pin from a new key…" at ${finding.path}:${finding.line}`);
          assert.equal(action.isPreferred, true);
          const keys = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-e2e-keys-'));
          try {
            // Inside the workspace only with a second confirmation: refused, nothing is written.
            const inside = path.join(workspaceRoot(), 'keys');
            await assert.rejects(
              Promise.resolve(vscode.commands.executeCommand(action.command.command, { ...action.command.arguments![0], type: 'ec-p256', dir: inside, hosts: [] })),
              /inside the workspace folder/,
            );
            assert.equal(fs.existsSync(inside), false, 'no key folder in the workspace');
            const key = identity(diagnosticAt(finding));
            const before = countOf(finding.path, key);
            // The prompts' answers (key type, folder, CSR names) as the command's arguments.
            const result = await vscode.commands.executeCommand<{ pin: string; keyPath: string; csrPath: string; inserted: boolean }>(
              action.command.command, { ...action.command.arguments![0], type: 'ec-p256', dir: keys, hosts: ['api.example.com'] });
            assert.equal(result?.inserted, true, JSON.stringify(result));
            assert.ok(!result.keyPath.startsWith(workspaceRoot()), `${result.keyPath} is outside the workspace`);
            assert.equal(fs.statSync(result.keyPath).mode & 0o777, 0o600);
            assert.match(fs.readFileSync(result.keyPath, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
            assert.match(fs.readFileSync(result.csrPath, 'utf8'), /^-----BEGIN CERTIFICATE REQUEST-----/);
            await waitForEqual(`${finding.path}:${finding.line} after the backup pin`, () => countOf(finding.path, key), before - 1, 10_000);
            const line = document.getText().split('\n').find((l) => l.includes(result.pin)) ?? '';
            assert.match(line, /backup key .*\.key\.pem, created \d{4}-\d{2}-\d{2}/, document.getText());
          } finally {
            fs.rmSync(keys, { recursive: true, force: true });
            await restore(rule);
          }
        });
      }

      if (rule === 'pin-set-expired') {
        it('"Set a new expiration date…" writes the date it is given over the old one', async function () {
          this.timeout(60_000);
          for (const finding of findingsOf(rule)) {
            const { document } = await openFile(finding.path);
            const action = (await quickFixesAt(finding)).find((a) => a.title === 'Set a new expiration date…');
            assert.ok(action?.command, `no "Set a new expiration date…" at ${finding.path}:${finding.line}`);
            const key = identity(diagnosticAt(finding));
            const before = countOf(finding.path, key);
            // The date the prompt would ask for, given as the command's argument.
            const written = await vscode.commands.executeCommand(action.command.command, { ...action.command.arguments![0], date: '2099-12-31' });
            assert.equal(written, true);
            await waitForEqual(`${finding.path}:${finding.line} after a new date`, () => countOf(finding.path, key), before - 1, 10_000);
            assert.match(document.lineAt(finding.line - 1).text, /2099-12-31/);
            await restore(rule);
          }
        });
      }

      it('"Ignore on this line" hides each finding with a comment', async function () {
        this.timeout(120_000);
        for (const finding of findingsOf(rule)) {
          const { document } = await openFile(finding.path);
          const ignore = (await quickFixesAt(finding)).find((a) => a.title === `Ignore ${rule} on this line`);
          assert.ok(ignore, `no "Ignore ${rule} on this line" at ${finding.path}:${finding.line}`);
          const key = identity(diagnosticAt(finding));
          const before = countOf(finding.path, key);
          await apply(ignore);
          await waitForEqual(`${finding.path}:${finding.line} after "Ignore on this line"`, () => countOf(finding.path, key), before - 1, 10_000);
          const above = document.lineAt(finding.line - 1).text;
          assert.match(above, new RegExp(`pinning-audit-ignore-next-line\\b.*\\b${rule}\\b`), `the line above the finding now reads: ${above}`);
          await restore(rule);
        }
      });
    });
  }
});
