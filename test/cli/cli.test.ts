import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI_BIN, createWorkspace, REPO_ROOT, runBuiltCli } from './workspace';
import { assertValidSarif } from './sarif-schema';

const RULE = 'trust-all-certificates';

/** Checked against the schema below; field access stays loose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Sarif = any;

interface JsonFinding {
  ruleId: string;
  level: string;
  message: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fingerprint: string;
}
interface JsonReport {
  findings: JsonFinding[];
  summary: { files: number; findings: number; byLevel: Record<string, number>; suppressed: number; baselined: number; skipped: number };
  skippedFiles: { path: string; reason: string }[];
}

describe('CLI (built bundle)', function () {
  let workspace: string;

  before(function () {
    assert.ok(
      fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js')),
      'dist/cli.js is missing: run `node scripts/build.mjs` before the CLI tests',
    );
    // The CLI sees the real path as its cwd (macOS: /var → /private/var).
    workspace = fs.realpathSync(createWorkspace());
  });

  after(function () {
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** The 1-based position in a workspace file, as text from there on. */
  function textAt(relativePath: string, line: number, column: number): string {
    const lines = fs.readFileSync(path.join(workspace, relativePath), 'utf8').split('\n');
    return lines[line - 1].slice(column - 1);
  }

  describe('text format', function () {
    it('prints one line per unsuppressed finding and a summary, and exits 1 on errors', function () {
      const run = runBuiltCli(['scan'], workspace);
      assert.equal(run.status, 1, run.stderr);
      const lines = run.stdout.trimEnd().split('\n');
      const findingLines = lines.slice(0, -1);
      assert.deepEqual(
        findingLines.map((l) => l.split(' ').slice(0, 3).join(' ').replace(/:\d+ /, ' ')).sort(),
        [
          `${path.join('notes', 'helper.test.ts')}:2 note ${RULE}`,
          `${path.join('src', 'client.ts')}:3 error ${RULE}`,
          `${path.join('src', 'env.js')}:1 error ${RULE}`,
        ].sort(),
      );
      for (const line of findingLines) assert.match(line, /^\S+:\d+:\d+ (error|warning|note) [\w-]+ \S.*$/);
      assert.equal(lines.at(-1), '3 findings (2 errors, 1 note), 1 suppressed in 5 files, 1 skipped');
      assert.doesNotMatch(run.stdout, /proxy\.ts/, 'suppressed findings are not printed');
      assert.match(run.stderr, /^skipped: src[/\\]blob\.ts: .*binary/m);
      assert.doesNotMatch(run.stdout, /\u001b\[/, 'no colors when stdout is not a terminal');
    });

    it('writes a report larger than a pipe holds whole, and stops quietly when its reader closes early', async function () {
      const examples = path.join(REPO_ROOT, 'examples');
      const whole = runBuiltCli(['scan', examples, '--format', 'sarif'], workspace);
      assert.ok(whole.stdout.length > 128 * 1024, `${whole.stdout.length} characters`);
      assertValidSarif(JSON.parse(whole.stdout));
      // `pinning-audit scan --format sarif | head -c 100`: no EPIPE stack on stderr, the scan's own exit status.
      const child = spawn(process.execPath, [CLI_BIN, 'scan', examples, '--format', 'sarif'], { cwd: workspace });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(stderr, '');
      assert.equal(status, whole.status);
    });

    it('points at the line and column where the offending construct starts', function () {
      const run = runBuiltCli(['scan', 'src/client.ts'], workspace);
      const m = /^src[/\\]client\.ts:(\d+):(\d+) /m.exec(run.stdout);
      assert.ok(m, run.stdout);
      assert.equal(Number(m[1]), 3);
      assert.match(textAt('src/client.ts', Number(m[1]), Number(m[2])), /^rejectUnauthorized/);
    });

    it('leaves the summary out with --quiet', function () {
      const run = runBuiltCli(['scan', '--quiet'], workspace);
      assert.equal(run.status, 1);
      assert.doesNotMatch(run.stdout, /findings? .* in \d+ files?/);
      assert.equal(run.stdout.trimEnd().split('\n').length, 3);
    });

    it('names files relative to the current folder, and absolutely outside it', function () {
      const inside = runBuiltCli(['scan', path.join(workspace, 'src')], workspace);
      assert.match(inside.stdout, /^src[/\\]env\.js:1:1 error /m);
      const outside = runBuiltCli(['scan', path.join(workspace, 'src')], REPO_ROOT);
      assert.ok(outside.stdout.includes(`${path.join(workspace, 'src', 'env.js')}:1:1 error `), outside.stdout);
    });
  });

  describe('json format', function () {
    it('reports 1-based findings, the summary and the skipped files', function () {
      const run = runBuiltCli(['scan', '--format', 'json'], workspace);
      assert.equal(run.status, 1, run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.deepEqual(report.summary, {
        files: 5,
        findings: 3,
        byLevel: { error: 2, warning: 0, note: 1 },
        suppressed: 1,
        baselined: 0,
        skipped: 1,
      });
      assert.deepEqual(report.skippedFiles.map((s) => s.path), ['src/blob.ts']);
      assert.equal(report.findings.length, 3);
      assert.ok(!report.findings.some((f) => f.path.includes('proxy')), 'suppressed findings are not listed');
      const env = report.findings.find((f) => f.path === 'src/env.js');
      assert.ok(env);
      assert.deepEqual(Object.keys(env).sort(), ['column', 'endColumn', 'endLine', 'fingerprint', 'level', 'line', 'message', 'path', 'ruleId']);
      assert.match(env.fingerprint, /^[0-9a-f]{32}$/);
      assert.equal(env.ruleId, RULE);
      assert.equal(env.level, 'error');
      assert.equal(env.line, 1);
      assert.equal(env.column, 1);
      assert.ok(env.endLine > env.line || env.endColumn > env.column);
      const client = report.findings.find((f) => f.path === 'src/client.ts');
      assert.ok(client);
      assert.match(textAt(client.path, client.line, client.column), /^rejectUnauthorized/);
      assert.equal(run.stderr, '', 'skipped files are in the JSON, not on stderr');
    });
  });

  describe('sarif format', function () {
    let sarif: Sarif;

    before(function () {
      const run = runBuiltCli(['scan', '--format', 'sarif', '.'], workspace);
      assert.equal(run.status, 1, run.stderr);
      sarif = JSON.parse(run.stdout);
    });

    it('validates against the OASIS SARIF 2.1.0 schema', function () {
      assertValidSarif(sarif);
    });

    it('describes the tool and its rules', function () {
      assert.equal(sarif.version, '2.1.0');
      assert.equal(sarif.runs.length, 1);
      const driver = sarif.runs[0].tool.driver;
      assert.equal(driver.name, 'pinning-audit');
      const rule = driver.rules.find((r: { id: string }) => r.id === RULE);
      assert.ok(rule);
      assert.ok(rule.shortDescription.text.length > 0);
      assert.match(rule.helpUri, /^https:\/\/.*trust-all-certificates/);
      assert.equal(rule.defaultConfiguration.level, 'error');
    });

    it('gives each result a root-relative location with a 1-based region', function () {
      const run = sarif.runs[0];
      const base = run.originalUriBaseIds['%SRCROOT%'].uri as string;
      assert.ok(base.endsWith('/'));
      assert.equal(base, `${pathToFileURL(workspace).href}/`);
      const client = run.results.find((r: Sarif) => r.locations[0].physicalLocation.artifactLocation.uri === 'src/client.ts');
      assert.ok(client, JSON.stringify(run.results.map((r: Sarif) => r.locations[0])));
      assert.equal(client.ruleId, RULE);
      assert.equal(client.level, 'error');
      assert.ok(client.message.text.length > 0);
      const location = client.locations[0].physicalLocation;
      assert.equal(location.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.equal(location.region.startLine, 3);
      assert.match(textAt('src/client.ts', location.region.startLine, location.region.startColumn), /^rejectUnauthorized/);
      assert.ok(location.region.endLine >= location.region.startLine);
      assert.ok(location.region.endColumn >= 1);
      assert.equal(client.suppressions, undefined);
    });

    it('lists suppressed findings with an in-source suppression and its reason', function () {
      const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
      assert.equal(suppressed.length, 1);
      assert.equal(suppressed[0].locations[0].physicalLocation.artifactLocation.uri, 'src/proxy.ts');
      assert.deepEqual(suppressed[0].suppressions, [{ kind: 'inSource', justification: 'local intercepting proxy' }]);
    });

    it('takes the current folder as root unless exactly one folder is scanned', function () {
      const run = runBuiltCli(['scan', '--format', 'sarif', 'src/env.js', 'src/client.ts'], workspace);
      const out = JSON.parse(run.stdout);
      assert.equal(out.runs[0].originalUriBaseIds['%SRCROOT%'].uri, `${pathToFileURL(workspace).href}/`);
      const uris = out.runs[0].results.map((r: Sarif) => r.locations[0].physicalLocation.artifactLocation.uri).sort();
      assert.deepEqual(uris, ['src/client.ts', 'src/env.js']);
      const single = JSON.parse(runBuiltCli(['scan', '--format', 'sarif', 'src'], workspace).stdout);
      assert.equal(single.runs[0].originalUriBaseIds['%SRCROOT%'].uri, `${pathToFileURL(path.join(workspace, 'src')).href}/`);
      assert.ok(single.runs[0].results.some((r: Sarif) => r.locations[0].physicalLocation.artifactLocation.uri === 'env.js'));
    });
  });

  describe('exit codes and options', function () {
    it('exits 0 when nothing is at or above --fail-on', function () {
      assert.equal(runBuiltCli(['scan', 'src/clean.ts'], workspace).status, 0);
      assert.equal(runBuiltCli(['scan', '--fail-on', 'none'], workspace).status, 0);
      // notes/ only holds a test file, whose finding is a note.
      assert.equal(runBuiltCli(['scan', 'notes'], workspace).status, 0);
      assert.equal(runBuiltCli(['scan', 'notes', '--fail-on', 'warning'], workspace).status, 0);
      // The suppressed finding never fails the scan.
      assert.equal(runBuiltCli(['scan', 'src/proxy.ts', '--fail-on', 'note'], workspace).status, 0);
    });

    it('exits 1 for findings at or above --fail-on', function () {
      assert.equal(runBuiltCli(['scan', 'notes', '--fail-on', 'note'], workspace).status, 1);
      assert.equal(runBuiltCli(['scan', 'src', '--fail-on=warning'], workspace).status, 1);
      const lowered = ['scan', 'src', '--rule', `${RULE}=warning`];
      assert.equal(runBuiltCli(lowered, workspace).status, 0);
      assert.equal(runBuiltCli([...lowered, '--fail-on', 'warning'], workspace).status, 1);
    });

    it('turns a rule off with --rule id=off', function () {
      const run = runBuiltCli(['scan', '--rule', `${RULE}=off`, '--format', 'json'], workspace);
      assert.equal(run.status, 0, run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.equal(report.findings.length, 0);
      assert.equal(report.summary.suppressed, 0);
    });

    it('exits 2 with a message for usage errors and missing paths', function () {
      const cases: [string[], RegExp][] = [
        [[], /Usage: pinning-audit/],
        [['scan', '--bogus'], /unknown option --bogus/],
        [['scan', '--format', 'xml'], /--format must be one of text, json, sarif/],
        [['scan', '--format'], /--format needs a value/],
        [['scan', '--fail-on', 'fatal'], /--fail-on must be one of/],
        [['scan', '--rule', 'no-such-rule=off'], /unknown rule 'no-such-rule'/],
        [['scan', '--rule', `${RULE}=loud`], /must be one of off, error, warning, note/],
        [['scan', '--max-file-size-kb', 'big'], /positive number/],
        [['scan', 'does-not-exist'], /does-not-exist: no such file or folder/],
        [['scan', 'src', 'does-not-exist.ts'], /does-not-exist\.ts: no such file or folder/],
        [['frobnicate'], /unknown command 'frobnicate'/],
      ];
      for (const [args, message] of cases) {
        const run = runBuiltCli(args, workspace);
        assert.equal(run.status, 2, `pinning-audit ${args.join(' ')}: ${run.stdout}${run.stderr}`);
        assert.match(run.stderr, message, `pinning-audit ${args.join(' ')}`);
        assert.equal(run.stdout, '', `pinning-audit ${args.join(' ')} prints nothing on stdout`);
      }
    });

    it('writes the report to --output FILE instead of stdout', function () {
      const target = path.join(workspace, 'report.json');
      const run = runBuiltCli(['scan', 'src', '--format', 'json', '--output', target], workspace);
      assert.equal(run.status, 1);
      assert.equal(run.stdout, '');
      const report = JSON.parse(fs.readFileSync(target, 'utf8')) as JsonReport;
      assert.equal(report.summary.findings, 2);
      fs.rmSync(target);

      const textTarget = 'report.txt';
      assert.equal(runBuiltCli(['scan', 'src', '-o', textTarget], workspace).status, 1);
      assert.match(fs.readFileSync(path.join(workspace, textTarget), 'utf8'), /2 findings \(2 errors\), 1 suppressed in 4 files, 1 skipped\n$/);
      fs.rmSync(path.join(workspace, textTarget));

      const unwritable = runBuiltCli(['scan', 'src', '--output', path.join(workspace, 'no-such-dir', 'r.json')], workspace);
      assert.equal(unwritable.status, 2);
      assert.match(unwritable.stderr, /cannot write/);
    });

    it('leaves out --exclude globs and skips files above --max-file-size-kb', function () {
      const excluded = JSON.parse(
        runBuiltCli(['scan', '--format', 'json', '--exclude', 'src/env.js', '--exclude', 'notes/**'], workspace).stdout,
      ) as JsonReport;
      assert.deepEqual(excluded.findings.map((f) => f.path), ['src/client.ts']);

      const big = path.join(workspace, 'big', 'large.ts');
      fs.mkdirSync(path.dirname(big), { recursive: true });
      fs.writeFileSync(big, `// ${'x'.repeat(3000)}\nexport const a = { rejectUnauthorized: false };\n`);
      try {
        const run = runBuiltCli(['scan', 'big', '--max-file-size-kb', '2'], workspace);
        assert.equal(run.status, 0);
        assert.match(run.stderr, /^skipped: big[/\\]large\.ts: larger than 2 KB/m);
        assert.match(run.stdout, /0 findings in 0 files, 1 skipped/);
      } finally {
        fs.rmSync(path.dirname(big), { recursive: true });
      }
    });

    it('prints help and the package version', function () {
      const help = runBuiltCli(['scan', '--help'], workspace);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /Usage: pinning-audit scan/);
      assert.equal(runBuiltCli(['--help'], workspace).status, 0);
      const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
      const run = runBuiltCli(['--version'], workspace);
      assert.equal(run.status, 0);
      assert.equal(run.stdout.trim(), version);
      assert.equal(runBuiltCli(['scan', '--version'], workspace).stdout.trim(), version);
    });

    it('runs from any folder through bin/', function () {
      const run = runBuiltCli(['scan', path.join(workspace, 'src', 'clean.ts')], os.tmpdir());
      assert.equal(run.status, 0, run.stderr);
      assert.ok(fs.existsSync(CLI_BIN));
    });
  });
});
