/**
 * Hostile files in a workspace scan, through the built CLI and the built server: each one is
 * skipped with exactly one line, the scan finishes, and every ordinary file is still audited.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { CLI_BIN } from '../cli/workspace';
import { LspTestClient, uriOf } from '../protocol/lsp-client';
import { createHostileWorkspace, INSECURE_TS, type HostileWorkspace } from './hostile-workspace';
import { runs } from './long-run';

interface JsonReport {
  findings: { path: string; ruleId: string }[];
  summary: { files: number; skipped: number };
  skippedFiles: { path: string; reason: string }[];
}

function runCli(workspace: HostileWorkspace, args: string[]) {
  const { execArgv, ...options } = workspace.process;
  const run = spawnSync(process.execPath, [...execArgv, CLI_BIN, 'scan', ...args], {
    ...options,
    cwd: workspace.dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error) throw run.error;
  return run;
}

/** Each expected entry skipped once with its reason, and nothing else skipped. */
function assertSkippedOnce(workspace: HostileWorkspace, skipped: { path: string; reason: string }[]): void {
  const byPath = new Map<string, string[]>();
  for (const s of skipped) byPath.set(s.path, [...(byPath.get(s.path) ?? []), s.reason]);
  assert.deepEqual([...byPath.keys()].sort(), workspace.skipped.map((e) => e.path).sort(), 'the skipped entries');
  for (const entry of workspace.skipped) {
    const reasons = byPath.get(entry.path) ?? [];
    assert.equal(reasons.length, 1, `${entry.path} is reported once: ${JSON.stringify(reasons)}`);
    assert.match(reasons[0], entry.reason, entry.path);
  }
}

describe('reliability: hostile files in a workspace scan', function () {
  this.timeout(60_000);
  let workspace: HostileWorkspace;

  before(() => {
    workspace = createHostileWorkspace(runs(1, 25));
  });

  after(() => workspace?.remove());

  beforeEach(() => workspace.restoreVanishing());

  describe('CLI (dist/cli.js)', function () {
    it('skips each hostile entry once in the JSON report and audits the rest', function () {
      const run = runCli(workspace, ['.', '--format', 'json', '--fail-on', 'none']);
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      assertSkippedOnce(workspace, report.skippedFiles);
      assert.equal(report.summary.skipped, workspace.skipped.length);
      assert.equal(report.summary.files, workspace.fileCount);
      assert.deepEqual([...new Set(report.findings.map((f) => f.path))].sort(), workspace.audited);
    });

    it('prints one stderr line per skipped entry and counts them in the summary', function () {
      const run = runCli(workspace, ['.', '--fail-on', 'none', '--no-color']);
      assert.equal(run.status, 0, run.stderr);
      const skipped = run.stderr.split('\n').filter(Boolean).map((line) => {
        const m = /^skipped: (.+?): (.+)$/.exec(line);
        assert.ok(m, `unexpected stderr line: ${line}`);
        return { path: m[1].split(path.sep).join('/'), reason: m[2] };
      });
      assertSkippedOnce(workspace, skipped);
      assert.match(run.stdout, new RegExp(`in ${workspace.fileCount} files, ${workspace.skipped.length} skipped\\n$`));
    });

    it('skips a file over --max-file-size-kb, reports it, and audits the smaller one', function () {
      const sized = path.join(workspace.dir, 'sized');
      fs.mkdirSync(sized, { recursive: true });
      fs.writeFileSync(path.join(sized, 'big.ts'), INSECURE_TS + `// ${'x'.repeat(2048)}\n`);
      fs.writeFileSync(path.join(sized, 'small.ts'), INSECURE_TS);
      try {
        const run = runCli(workspace, ['sized', '--format', 'json', '--fail-on', 'none', '--max-file-size-kb', '1']);
        assert.equal(run.status, 0, run.stderr);
        const report = JSON.parse(run.stdout) as JsonReport;
        assert.deepEqual(report.skippedFiles, [{ path: 'sized/big.ts', reason: 'larger than 1 KB (2 KB)' }]);
        assert.equal(report.summary.files, 1);
        assert.deepEqual(report.findings.map((f) => f.path), ['sized/small.ts']);
      } finally {
        fs.rmSync(sized, { recursive: true, force: true });
      }
    });
  });

  describe('language server (dist/server.js over stdio)', function () {
    let client: LspTestClient;

    afterEach(async () => {
      await client?.stop();
    });

    function skipLines(): { path: string; reason: string }[] {
      return client.log.flatMap((line) => {
        const m = /^Skipped (.+?): (.+)$/.exec(line);
        if (!m) return [];
        const where = m[1].startsWith('file:') ? new URL(m[1]).pathname : m[1];
        return [{ path: path.relative(workspace.dir, where).split(path.sep).join('/'), reason: m[2] }];
      });
    }

    it('logs one line per hostile entry in the background scan and publishes the rest', async function () {
      const { execArgv, env, uid, gid } = workspace.process;
      client = new LspTestClient({ execArgv, env, uid, gid });
      await client.initialize(workspace.dir);
      await client.waitFor('the background scan to end', () => client.progress.some((p) => p.kind === 'end'));
      for (const relative of workspace.audited) {
        const published = client.diagnostics.get(uriOf(path.join(workspace.dir, relative)));
        assert.equal(published?.diagnostics.length, 1, `${relative} is audited`);
      }
      assertSkippedOnce(workspace, skipLines());
      assert.equal(client.exitCode, null, 'the server is still running');
    });

    it('skips files over pinningAudit.maxFileSizeKb, on disk and open, with one line each', async function () {
      const big = path.join(workspace.dir, 'src', 'big.ts');
      fs.writeFileSync(big, INSECURE_TS + `// ${'x'.repeat(2048)}\n`);
      try {
        client = new LspTestClient();
        client.settings = { maxFileSizeKb: 1 };
        await client.initialize(path.join(workspace.dir, 'src'));
        await client.waitFor('the background scan to end', () => client.progress.some((p) => p.kind === 'end'));
        assert.deepEqual(skipLines().filter((s) => s.path === 'src/big.ts'), [{ path: 'src/big.ts', reason: 'larger than 1 KB (2 KB)' }]);

        // Opened and edited twice: still skipped, and said once.
        const uri = uriOf(big);
        const text = fs.readFileSync(big, 'utf8');
        await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text } });
        for (const version of [2, 3]) {
          await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri, version },
            contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }],
          });
        }
        await client.waitForDiagnostics(uri, 'an empty publication for version 3', (p) => p.version === 3 && p.diagnostics.length === 0);
        const openSkips = client.log.filter((line) => line.startsWith(`Skipped ${uri}:`));
        assert.deepEqual(openSkips, [`Skipped ${uri}: larger than 1 KB (pinningAudit.maxFileSizeKb)`]);
      } finally {
        fs.rmSync(big, { force: true });
      }
    });
  });
});
