import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseScanArgs, UsageError } from '../../server/src/cli/args';
import { displayPath } from '../../server/src/cli/display-path';
import { formatGitlab } from '../../server/src/cli/format-gitlab';
import { formatJson } from '../../server/src/cli/format-json';
import { formatSarif } from '../../server/src/cli/format-sarif';
import { formatText, summaryLine } from '../../server/src/cli/format-text';
import type { CliIo } from '../../server/src/cli/io';
import { fails, useColor } from '../../server/src/cli/run';
import type { ReportedFinding, ScanReport } from '../../server/src/cli/scan';
import { ALL_RULES } from '../../server/src/rules';

const ROOT = path.resolve('/project');

function finding(relativePath: string, level: ReportedFinding['level'], line: number, suppressed?: { reason?: string }): ReportedFinding {
  return {
    ruleId: 'trust-all-certificates',
    level,
    message: 'accepts any certificate',
    range: { start: { line, character: 4 }, end: { line, character: 30 } },
    path: path.join(ROOT, relativePath),
    relativePath,
    fingerprint: `${relativePath}:${line}`,
    ...(suppressed ? { suppressed } : {}),
  };
}

function report(findings: ReportedFinding[]): ScanReport {
  return {
    root: ROOT,
    files: 12,
    findings,
    skipped: [{ path: path.join(ROOT, 'big.ts'), reason: 'larger than 1024 KB (2000 KB)' }],
    durationMs: 1,
    rules: ALL_RULES,
    ruleSettings: {},
  };
}

describe('CLI formats (in process)', function () {
  it('words the summary line with plurals and only the levels present', function () {
    const byLevel = { error: 1, warning: 2, note: 0 };
    assert.equal(
      summaryLine({ files: 12, findings: 3, byLevel, suppressed: 1, baselined: 0, skipped: 0 }),
      '3 findings (1 error, 2 warnings), 1 suppressed in 12 files, 0 skipped',
    );
    assert.equal(summaryLine({ files: 1, findings: 0, byLevel: { error: 0, warning: 0, note: 0 }, suppressed: 0, baselined: 4, skipped: 2 }), '0 findings, 4 baselined in 1 file, 2 skipped');
  });

  it('colors level words only when asked, and keeps one line per finding', function () {
    const r = report([{ ...finding('a.ts', 'error', 0), message: 'first\nsecond' }]);
    const plain = formatText(r, { cwd: ROOT, color: false, quiet: true });
    assert.equal(plain, `a.ts:1:5 error trust-all-certificates first second\n`);
    const colored = formatText(r, { cwd: ROOT, color: true, quiet: true });
    assert.match(colored, /\u001b\[31merror\u001b\[0m/);
  });

  it('decides on color from the terminal, NO_COLOR, --no-color and --output', function () {
    const io = (stdoutIsTty: boolean, env: Record<string, string | undefined> = {}): CliIo => ({ stdout: () => {}, stderr: () => {}, cwd: ROOT, stdoutIsTty, env });
    assert.equal(useColor({ color: true }, io(true)), true);
    assert.equal(useColor({ color: true }, io(false)), false);
    assert.equal(useColor({ color: true }, io(true, { NO_COLOR: '1' })), false);
    assert.equal(useColor({ color: false }, io(true)), false);
    assert.equal(useColor({ color: true, output: 'report.txt' }, io(true)), false);
  });

  it('leaves suppressed findings out of the text and JSON but counts them', function () {
    const r = report([finding('a.ts', 'warning', 2), finding('b.ts', 'error', 0, { reason: 'proxy' })]);
    assert.doesNotMatch(formatText(r, { cwd: ROOT, color: false, quiet: false }), /b\.ts/);
    const json = JSON.parse(formatJson(r, ROOT));
    assert.equal(json.findings.length, 1);
    assert.deepEqual(json.summary, { files: 12, findings: 1, byLevel: { error: 0, warning: 1, note: 0 }, suppressed: 1, baselined: 0, skipped: 1 });
    assert.deepEqual(json.skippedFiles, [{ path: 'big.ts', reason: 'larger than 1024 KB (2000 KB)' }]);
    assert.equal(fails(r, 'error'), false, 'the suppressed error does not fail');
    assert.equal(fails(r, 'warning'), true);
    assert.equal(fails(r, 'none'), false);
  });

  it('gives files outside the SARIF root an absolute URI and encodes relative ones', function () {
    const outside = { ...finding('x.ts', 'error', 0), path: path.resolve('/elsewhere/x.ts') };
    const sarif = JSON.parse(formatSarif(report([finding('dir with space/a#b.ts', 'note', 0), outside]), '1.2.3'));
    const uris = sarif.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: object } }[] }) => r.locations[0].physicalLocation.artifactLocation);
    assert.deepEqual(uris[0], { uri: 'dir%20with%20space/a%23b.ts', uriBaseId: '%SRCROOT%' });
    assert.match(uris[1].uri, /^file:\/\/\/.*elsewhere\/x\.ts$/);
    assert.equal(uris[1].uriBaseId, undefined);
  });

  it('reports rule overrides as SARIF configuration overrides', function () {
    const r = { ...report([]), ruleSettings: { 'trust-all-certificates': 'off' as const } };
    const invocation = JSON.parse(formatSarif(r, '1.2.3')).runs[0].invocations[0];
    assert.deepEqual(invocation.ruleConfigurationOverrides, [
      { descriptor: { id: 'trust-all-certificates', index: 0 }, configuration: { enabled: false } },
    ]);
  });

  it('parses options in both spellings and rejects mistakes', function () {
    const args = parseScanArgs(['src', '--format=json', '-o', 'r.json', '--exclude', 'a/**', '--exclude=b/**', '--rule', 'trust-all-certificates=note', '--', '--weird-name']);
    assert.deepEqual(args.paths, ['src', '--weird-name']);
    assert.equal(args.format, 'json');
    assert.equal(args.output, 'r.json');
    assert.deepEqual(args.exclude, ['a/**', 'b/**']);
    assert.deepEqual(args.rules, { 'trust-all-certificates': 'note' });
    assert.throws(() => parseScanArgs(['--quiet=yes']), UsageError);
    assert.throws(() => parseScanArgs(['--max-file-size-kb', '-3']), UsageError);
  });

  it('names paths relative to the working folder only when inside it', function () {
    assert.equal(displayPath(path.join(ROOT, 'src', 'a.ts'), ROOT), path.join('src', 'a.ts'));
    assert.equal(displayPath(path.resolve('/other/a.ts'), ROOT), path.resolve('/other/a.ts'));
    assert.equal(displayPath(path.join(ROOT, '..foo', 'a.ts'), ROOT), path.join('..foo', 'a.ts'));
  });

  it('writes GitLab\'s SAST report: unsuppressed findings, severity from the rule, the rule and its CWEs as identifiers', function () {
    const gitlab = JSON.parse(formatGitlab(report([finding('src/a.ts', 'error', 2), finding('src/b.ts', 'error', 0, { reason: 'ok' }), finding('src/c.ts', 'note', 5)]), '1.2.3', new Date('2026-12-04T10:00:00.250Z')));
    assert.equal(gitlab.version, '15.0.7');
    assert.deepEqual(gitlab.scan, {
      analyzer: { id: 'pinning-audit', name: 'Pinning Audit', version: '1.2.3', vendor: { name: 'Pinning Audit' } },
      scanner: { id: 'pinning-audit', name: 'Pinning Audit', version: '1.2.3', vendor: { name: 'Pinning Audit' } },
      type: 'sast',
      start_time: '2026-12-04T10:00:00',
      end_time: '2026-12-04T10:00:00',
      status: 'success',
    });
    assert.deepEqual(gitlab.vulnerabilities.map((v: { severity: string; location: unknown }) => [v.severity, v.location]), [
      ['Critical', { file: 'src/a.ts', start_line: 3, end_line: 3 }],
      ['Info', { file: 'src/c.ts', start_line: 6, end_line: 6 }],
    ]);
    const [first] = gitlab.vulnerabilities;
    assert.equal(first.id, 'src/a.ts:2');
    assert.deepEqual(first.identifiers.map((i: { type: string; value: string }) => [i.type, i.value]), [['pinning_audit_rule', 'trust-all-certificates'], ['cwe', '295']]);
  });
});
