// `pinning-audit verify` against a real `openssl s_server` on loopback.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCliInProcess } from '../helpers/cli';
import type { VerifyReport } from '../../server/src/cli/verify';
import { randomPin } from '../pins/edit-helpers';
import { freePort, makeTempDir, makeTestPki, opensslSpkiPin, requireOpenssl, startOpensslServer, type RunningServer, type TestPki } from './openssl';


const cli = runCliInProcess;

describe('certs: pinning-audit verify', function () {
  this.timeout(60_000);
  let pki: TestPki;
  let server: RunningServer;
  let workspace: string;
  let leafPin: string;
  let backupPin: string;
  let target: string;

  before(async function () {
    requireOpenssl();
    pki = await makeTestPki(makeTempDir('verify-cli'));
    server = await startOpensslServer({ cert: pki.leaf.cert, key: pki.leaf.key, chainFile: pki.chainFile });
    target = `127.0.0.1:${server.port}`;
    leafPin = opensslSpkiPin(pki.leaf.cert);
    backupPin = randomPin();
    workspace = path.join(pki.dir, 'app');
    fs.mkdirSync(path.join(workspace, 'lib'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'lib', 'pins.dart'), [
      'const Map<String, Set<String>> spkiPinsByHost = {',
      "  'localhost': {",
      `    '${leafPin}', // current key`,
      `    '${backupPin}', // backup key`,
      '  },',
      '};',
      '',
      `const Set<String> stalePins = {'${randomPin()}', '${randomPin()}'};`,
      '',
    ].join('\n'));
  });

  after(async () => {
    await server?.stop();
    if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  it('exits 1 when a pin set has no pin the live host serves, reporting each set', async () => {
    const run = await cli(['verify', 'app', '--host', `localhost=${target}`, '--host', `stalePins=${target}`, '--format', 'json'], pki.dir);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr, '');
    const report = JSON.parse(run.stdout) as VerifyReport;
    assert.deepEqual(report.summary, { pinSets: 2, hosts: 2, ok: 1, noMatch: 1, unreachable: 0 });
    const [matching, stale] = report.pinSets;
    assert.equal(matching.name, 'spkiPinsByHost[localhost]');
    assert.equal(matching.path, 'app/lib/pins.dart');
    assert.deepEqual([matching.line, matching.column], [2, 16]);
    assert.deepEqual([matching.status, matching.matched, matching.total, matching.target], ['ok', 1, 2, target]);
    assert.equal(matching.verified, false, 'the test root is not trusted without --ca');
    // The pin commented as the backup key is not served, as a backup should not be: "1 live, 1 backup".
    assert.match(matching.summary, /^1\/2 pins match 127\.0\.0\.1:\d+: 1 live, 1 backup · leaf expires in (29|30) days$/);
    assert.deepEqual(matching.rotation, { live: 1, backup: 1, stale: 0 });
    // The 30-day test leaf falls in the default 30-day window.
    assert.deepEqual(matching.findings.map((f) => [f.ruleId, f.level, f.line]), [['pinned-certificate-expiring', 'warning', 3]]);
    assert.equal(stale.name, 'stalePins');
    assert.equal(stale.status, 'noMatch');
    assert.deepEqual(stale.findings.map((f) => [f.ruleId, f.level, f.line, f.column]), [['no-pin-matches-host', 'error', 8, 31]]);
    assert.ok(stale.findings[0].message.includes(`sha256/${leafPin}`), 'names the pin that would match');
  });

  it('exits 0 when every tied set matches; the rotation window and extra CAs are options', async () => {
    const run = await cli(['verify', 'app/lib', '--host', `localhost=${target}`, '--rotation-warning-days', '7', '--ca', pki.root.cert, '-f', 'json'], pki.dir);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as VerifyReport;
    assert.deepEqual(report.summary, { pinSets: 1, hosts: 1, ok: 1, noMatch: 0, unreachable: 0 });
    assert.equal(report.pinSets[0].verified, true, 'trusted through --ca, name checked against the SNI name localhost');
    assert.deepEqual(report.pinSets[0].findings.map((f) => f.ruleId), []);
  });

  it('prints one line per set with its findings below, and a count line', async () => {
    const run = await cli(['verify', '--host', `localhost=${target}`, '--host', `stalePins=${target}`], workspace);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0], /^lib\/pins\.dart:2:16 spkiPinsByHost\[localhost\]: 1\/2 pins match 127\.0\.0\.1:\d+: 1 live, 1 backup · leaf expires in (29|30) days$/);
    assert.match(lines[1], /^ {2}lib\/pins\.dart:3:5 warning pinned-certificate-expiring The leaf certificate this pin matches \(localhost, /);
    assert.match(run.stdout, /\nlib\/pins\.dart:8:31 stalePins: 0\/2 pins match 127\.0\.0\.1:\d+: this build cannot connect/);
    assert.match(run.stdout, /\n {2}lib\/pins\.dart:8:31 error no-pin-matches-host /);
    assert.match(run.stdout, /\n2 pin sets checked against 2 hosts: 1 matching, 1 with no matching pin, 0 not reachable\n$/);
  });

  it('shows each set\'s rotation state: live, backup (recorded by a comment), stale; no-backup-pin when every pin is live', async () => {
    const app = path.join(pki.dir, 'rotation-app');
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(path.join(app, 'pins.ts'), [
      'export const PINS: Record<string, string[]> = {',
      `  'live.example.com': ['${leafPin}'],`,
      "  'rotating.example.com': [",
      `    '${leafPin}',`,
      `    '${backupPin}', // backup key ~/keys/rotating.key.pem, created 2026-12-04`,
      `    '${randomPin()}',`,
      '  ],',
      '};',
      '',
    ].join('\n'));
    const run = await cli(['verify', 'rotation-app', '--host', `live.example.com=${target}`, '--host', `rotating.example.com=${target}`, '-f', 'json'], pki.dir);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as VerifyReport;
    const [live, rotating] = report.pinSets;
    assert.match(live.summary, /^1\/1 pin match 127\.0\.0\.1:\d+: 1 live, no backup · /);
    assert.deepEqual(live.findings.map((f) => [f.ruleId, f.level, f.line]), [['no-backup-pin', 'warning', 2], ['pinned-certificate-expiring', 'warning', 2]]);
    assert.match(rotating.summary, /^1\/3 pins match 127\.0\.0\.1:\d+: 1 live, 1 backup, 1 stale · /);
    assert.deepEqual(rotating.rotation, { live: 1, backup: 1, stale: 1 });
    assert.deepEqual(rotating.findings.filter((f) => f.ruleId === 'stale-pin').map((f) => f.line), [6], 'the pin without a backup comment is stale');
  });

  it('verifies the pin sets a library ties to a host: TrustKit domains', async () => {
    const app = path.join(pki.dir, 'ios-app');
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(path.join(app, 'Pinning.swift'), [
      'let configuration: [String: Any] = [',
      '    kTSKPinnedDomains: [',
      '        "api.example.com": [',
      `            kTSKPublicKeyHashes: ["${leafPin}", "${backupPin}"],`,
      '        ],',
      '        "cdn.example.com": [',
      `            kTSKPublicKeyHashes: ["${randomPin()}", "${randomPin()}"],`,
      '        ],',
      '    ],',
      ']',
      '',
    ].join('\n'));
    const run = await cli(['verify', 'ios-app', '--host', `api.example.com=${target}`, '--host', `cdn.example.com=${target}`, '--format', 'json'], pki.dir);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as VerifyReport;
    assert.deepEqual(report.pinSets.map((s) => [s.name, s.line, s.status, s.matched, s.total]), [
      ['api.example.com', 4, 'ok', 1, 2],
      ['cdn.example.com', 7, 'noMatch', 0, 2],
    ]);
  });

  it('verifies an Android network security config: each <domain> mapped with --host, the pin-set expiry shown', async () => {
    const xmlDir = path.join(pki.dir, 'android-app', 'app', 'src', 'main', 'res', 'xml');
    fs.mkdirSync(xmlDir, { recursive: true });
    fs.writeFileSync(path.join(xmlDir, 'network_security_config.xml'), [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<network-security-config>',
      '    <domain-config>',
      '        <domain includeSubdomains="true">api.example.com</domain>',
      '        <pin-set expiration="2099-12-31">',
      `            <pin digest="SHA-256">${leafPin}</pin>`,
      `            <pin digest="SHA-256">${backupPin}</pin>`,
      '        </pin-set>',
      '    </domain-config>',
      '    <domain-config>',
      '        <domain>cdn.example.com</domain>',
      '        <pin-set>',
      `            <pin digest="SHA-256">${randomPin()}</pin>`,
      `            <pin digest="SHA-256">${randomPin()}</pin>`,
      '        </pin-set>',
      '    </domain-config>',
      '</network-security-config>',
      '',
    ].join('\n'));
    const run = await cli(['verify', 'android-app', '--host', `api.example.com=${target}`, '--host', `cdn.example.com=${target}`, '--format', 'json'], pki.dir);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as VerifyReport;
    assert.deepEqual(report.pinSets.map((s) => [s.path, s.host, s.line, s.status, s.matched, s.total]), [
      ['android-app/app/src/main/res/xml/network_security_config.xml', `${target}`, 5, 'ok', 1, 2],
      ['android-app/app/src/main/res/xml/network_security_config.xml', `${target}`, 12, 'noMatch', 0, 2],
    ]);
    const [served, other] = report.pinSets;
    assert.equal(served.name, 'api.example.com');
    assert.match(served.summary, /^1\/2 pins match 127\.0\.0\.1:\d+: 1 live, 1 stale · leaf expires in (29|30) days · pin set expires in \d+ days$/);
    assert.ok((served.pinSetExpiresInDays ?? 0) > 25_000);
    assert.equal(other.name, 'cdn.example.com');
    assert.deepEqual(other.findings.map((f) => [f.ruleId, f.level, f.line]), [['no-pin-matches-host', 'error', 12]]);
  });

  it('reports an unreachable host without failing, and hosts entries that tie nothing', async () => {
    const closed = `127.0.0.1:${await freePort('127.0.0.1')}`;
    const run = await cli(['verify', '--host', `localhost=${closed}`, '--host', 'nowhere=a.example.com', '--timeout', '5000', '-f', 'json'], workspace);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as VerifyReport;
    assert.equal(report.pinSets[0].status, 'unreachable');
    assert.equal(report.pinSets[0].error, `connection refused by ${closed}`);
    assert.deepEqual(report.pinSets[0].findings, []);
    assert.deepEqual(report.skipped, [{ name: 'nowhere', reason: 'no pin set has this name or host' }]);
  });

  describe('exit code 2 for usage errors', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--host', 'justaname'], /--host needs NAME=HOST\[:PORT\]/],
      [['--timeout', '0'], /--timeout must be a whole number/],
      [['--format', 'sarif'], /--format must be text or json/],
      [['--rotation-warning-days', 'soon'], /--rotation-warning-days must be a whole number/],
      [['--insecure'], /unknown option --insecure for verify/],
    ];
    for (const [args, message] of cases) {
      it(`verify ${args.join(' ')}`, async () => {
        const run = await cli(['verify', ...args], workspace);
        assert.equal(run.code, 2);
        assert.equal(run.stdout, '');
        assert.match(run.stderr, message);
        assert.match(run.stderr, /Run 'pinning-audit verify --help' for usage\.\n$/);
      });
    }

    it('a missing PATH', async () => {
      const run = await cli(['verify', 'no-such-folder'], workspace);
      assert.equal(run.code, 2);
      assert.equal(run.stderr, 'pinning-audit: no-such-folder: no such file or folder\n');
    });

    it('a --ca file without a certificate', async () => {
      const run = await cli(['verify', '--ca', pki.leaf.key], workspace);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /holds no PEM certificate/);
    });
  });
});
