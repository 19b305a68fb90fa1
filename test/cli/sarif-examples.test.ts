/**
 * The command docs/ci.md gives GitHub code scanning, on a copy of examples/ (which triggers
 * every rule) plus two suppressed findings: the SARIF it writes must validate against the OASIS
 * SARIF 2.1.0 schema with every rule and both kinds of suppression in it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/rules';
import { REPO_ROOT, runBuiltCli } from './workspace';
import { assertValidSarif } from './sarif-schema';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Sarif = any;

/** Findings the scan must list as suppressed in source: path → justification (none for the file-wide one). */
const SUPPRESSED: Record<string, { text: string; justification?: string }> = {
  'node_service/src/dev-proxy.ts': {
    text: [
      "import * as https from 'node:https';",
      '// pinning-audit-ignore-next-line trust-all-certificates -- local intercepting proxy in development',
      'export const devAgent = new https.Agent({ rejectUnauthorized: false });',
      '',
    ].join('\n'),
    justification: 'local intercepting proxy in development',
  },
  'flutter_app/lib/core/security/staging_pins.dart': {
    text: [
      '// pinning-audit-ignore-file single-pin',
      "const stagingPins = ['sha256/l7BWAoDtYKWh6qG8RUklQ8iphq1aJbRoxCfrg8PogZE='];",
      '',
    ].join('\n'),
  },
};

describe('SARIF of examples/ for code scanning (docs/ci.md)', function () {
  let workspace: string;
  let sarif: Sarif;

  before(function () {
    assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js')), 'dist/cli.js is missing: run `node scripts/build.mjs` first');
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-sarif-')));
    fs.cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });
    for (const [file, { text }] of Object.entries(SUPPRESSED)) fs.writeFileSync(path.join(workspace, file), text);
    // Exactly the docs/ci.md step, with --fail-on none as the workflow's upload must still run.
    const run = runBuiltCli(['scan', '--format', 'sarif', '--output', 'pinning.sarif', '--fail-on', 'none'], workspace);
    assert.equal(run.status, 0, run.stderr);
    sarif = JSON.parse(fs.readFileSync(path.join(workspace, 'pinning.sarif'), 'utf8'));
  });

  after(function () {
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('validates against the OASIS SARIF 2.1.0 schema', function () {
    assertValidSarif(sarif);
  });

  it('reports every rule, each result pointing at its rule descriptor', function () {
    const run = sarif.runs[0];
    const reported = new Set(run.results.filter((r: Sarif) => !r.suppressions).map((r: Sarif) => r.ruleId));
    for (const rule of ALL_RULES) assert.ok(reported.has(rule.meta.id), `examples/ no longer triggers ${rule.meta.id}`);
    const descriptors = run.tool.driver.rules;
    for (const result of run.results) {
      assert.equal(descriptors[result.ruleIndex]?.id, result.ruleId, `ruleIndex of ${result.ruleId}`);
      assert.ok(result.locations[0].physicalLocation.region.startLine >= 1);
      assert.ok(!path.isAbsolute(result.locations[0].physicalLocation.artifactLocation.uri), 'root-relative URIs');
    }
  });

  it('lists the suppressed findings with in-source suppressions and their reasons', function () {
    const suppressed = sarif.runs[0].results.filter((r: Sarif) => r.suppressions);
    const byPath = new Map(suppressed.map((r: Sarif) => [r.locations[0].physicalLocation.artifactLocation.uri, r]));
    assert.deepEqual([...byPath.keys()].sort(), Object.keys(SUPPRESSED).sort());
    for (const [file, { justification }] of Object.entries(SUPPRESSED)) {
      const expected = justification ? [{ kind: 'inSource', justification }] : [{ kind: 'inSource' }];
      assert.deepEqual((byPath.get(file) as Sarif).suppressions, expected, file);
    }
  });

  // What GitHub documents of its SARIF support (docs.github.com, "SARIF support for code scanning"):
  // the properties it reads, and their types and ranges.
  it('gives code scanning what it reads: help, tags, security-severity, precision, fingerprints, category', function () {
    const run = sarif.runs[0];
    assert.match(run.automationDetails.id, /\/$/, 'a category ends with a slash');
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.help.markdown.startsWith(`# ${rule.id}`), `${rule.id}: help.markdown is its doc page`);
      assert.ok(rule.help.text.length > 0 && rule.fullDescription.text.length > 0);
      const { tags, precision } = rule.properties;
      const severity = rule.properties['security-severity'];
      assert.ok(tags.includes('security') && tags.some((t: string) => /^external\/cwe\/cwe-\d+$/.test(t)), `${rule.id} tags: ${tags}`);
      assert.ok(tags.length <= 20, 'at most 20 tags are shown');
      assert.ok(typeof severity === 'string' && Number(severity) >= 0 && Number(severity) <= 10, `${rule.id}: security-severity ${severity}`);
      assert.ok(['very-high', 'high', 'medium', 'low'].includes(precision));
    }
    assert.ok(run.results.length <= 25_000, 'results per run');
    const fingerprints = run.results.map((r: Sarif) => r.partialFingerprints['pinningAudit/v1']);
    assert.ok(fingerprints.every((f: unknown) => typeof f === 'string' && /^[0-9a-f]{32}$/.test(f as string)));
    assert.equal(new Set(fingerprints).size, fingerprints.length, 'one identity per result');
    const bypassed = run.results.find((r: Sarif) => r.ruleId === 'pin-check-bypassed-by-trusted-ca');
    assert.deepEqual(bypassed.relatedLocations.map((l: Sarif) => [l.message.text, l.physicalLocation.region.startLine]), [
      ['The pin check that CA-signed certificates never reach.', 15],
      ['The HttpClient, which still trusts the system roots.', 12],
    ]);
    assert.ok(bypassed.relatedLocations[0].physicalLocation.region.startLine >= bypassed.locations[0].physicalLocation.region.startLine);
  });
});
