import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runSpki } from '../../server/src/cli/spki';
import type { CliIo } from '../../server/src/cli/io';
import { silentPeer, type LoopbackPeer } from './loopback-peers';
import {
  freePort,
  makeTempDir,
  makeTestPki,
  opensslCertSha256,
  opensslSpkiPin,
  requireOpenssl,
  startOpensslServer,
  type RunningServer,
  type TestPki,
} from './openssl';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function spki(args: string[], cwd: string): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd };
  const code = await runSpki(args, io);
  return { code, stdout, stderr };
}

const JSON_CERT_KEYS = ['certSha256', 'issuer', 'keyType', 'notAfter', 'notBefore', 'spkiSha256', 'subject'];

describe('certs: pinning-audit spki', function () {
  let pki: TestPki;
  let server: RunningServer;
  let silent: LoopbackPeer;

  before(async function () {
    this.timeout(60_000);
    requireOpenssl();
    pki = await makeTestPki(makeTempDir('spki-cli'));
    fs.writeFileSync(path.join(pki.dir, 'bundle.pem'), [pki.leaf.cert, pki.intermediate.cert, pki.root.cert].map((f) => fs.readFileSync(f, 'utf8')).join(''));
    server = await startOpensslServer({ cert: pki.leaf.cert, key: pki.leaf.key, chainFile: pki.chainFile });
    silent = await silentPeer();
  });

  after(async function () {
    await server?.stop();
    await silent?.close();
    if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  it('prints the chain of a host as JSON, leaf first', async function () {
    const run = await spki([`127.0.0.1:${server.port}`, '--format', 'json'], pki.dir);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report).sort(), ['chain', 'target', 'verified', 'verifyError']);
    assert.equal(report.target, `127.0.0.1:${server.port}`);
    assert.equal(report.verified, false);
    assert.match(report.verifyError, /self-signed certificate in certificate chain/);
    assert.equal(report.chain.length, 3);
    for (const cert of report.chain) {
      assert.deepEqual(Object.keys(cert).sort(), JSON_CERT_KEYS);
      assert.equal(new Date(cert.notBefore).toISOString(), cert.notBefore);
      assert.equal(new Date(cert.notAfter).toISOString(), cert.notAfter);
    }
    const files = [pki.leaf.cert, pki.intermediate.cert, pki.root.cert];
    assert.deepEqual(report.chain.map((c: { spkiSha256: string }) => c.spkiSha256), files.map(opensslSpkiPin));
    assert.deepEqual(report.chain.map((c: { certSha256: string }) => c.certSha256), files.map(opensslCertSha256));
    assert.deepEqual(report.chain.map((c: { keyType: string }) => c.keyType), ['EC P-256', 'EC P-384', 'RSA 2048']);
    assert.equal(report.chain[0].subject, 'CN=localhost');
    assert.equal(report.chain[0].issuer, 'CN=Pinning Audit Test Intermediate');
  });

  it('accepts a URL and --timeout/--servername in --opt=value form', async function () {
    const run = await spki([`https://127.0.0.1:${server.port}/login`, '--timeout=5000', '--servername=localhost', '--format=json'], pki.dir);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).chain.length, 3);
  });

  it('prints one text block per certificate with role, names, key, expiry and pin', async function () {
    const run = await spki([`127.0.0.1:${server.port}`], pki.dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^127\\.0\\.0\\.1:${server.port}: 3 certificates, NOT verified: self-signed certificate in certificate chain`));
    assert.match(run.stdout, /\[0\] leaf: localhost\n {4}SANs: +DNS:localhost, IP:127\.0\.0\.1, IP:::1\n/);
    assert.match(run.stdout, /\[1\] intermediate: Pinning Audit Test Intermediate\n/);
    assert.match(run.stdout, /\[2\] root: Pinning Audit Test Root\n/);
    assert.match(run.stdout, /key: +EC P-384\n/);
    assert.match(run.stdout, /not after: \d{4}-\d\d-\d\dT[\d:.]+Z \((29|30) days left\)/);
    for (const file of [pki.leaf.cert, pki.intermediate.cert, pki.root.cert]) {
      assert.ok(run.stdout.includes(`pin:       sha256/${opensslSpkiPin(file)}\n`), `pin of ${path.basename(file)}`);
    }
  });

  it('reads --file relative to cwd: same JSON shape, file order, not verified', async function () {
    const run = await spki(['--file', 'bundle.pem', '--format', 'json'], pki.dir);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report).sort(), ['chain', 'target', 'verified', 'verifyError']);
    assert.equal(report.target, 'bundle.pem');
    assert.equal(report.verified, false);
    assert.equal(report.verifyError, 'not checked: certificates read from a file');
    for (const cert of report.chain) assert.deepEqual(Object.keys(cert).sort(), JSON_CERT_KEYS);
    assert.deepEqual(
      report.chain.map((c: { spkiSha256: string }) => c.spkiSha256),
      [pki.leaf.cert, pki.intermediate.cert, pki.root.cert].map(opensslSpkiPin),
    );
  });

  it('marks an expired certificate in text', async function () {
    const run = await spki(['--file', pki.expiredLeaf.cert], pki.dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /not verified \(read from a file\)/);
    assert.match(run.stdout, /not after: 2020-02-01T00:00:00\.000Z \(EXPIRED \d+ days ago\)/);
  });

  describe('exit code 1 with one line on stderr', function () {
    it('when the port refuses', async function () {
      const port = await freePort('127.0.0.1');
      const run = await spki([`127.0.0.1:${port}`], pki.dir);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, `pinning-audit: connection refused by 127.0.0.1:${port}\n`);
    });

    it('when the host never answers within --timeout', async function () {
      const run = await spki([`127.0.0.1:${silent.port}`, '--timeout', '200'], pki.dir);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `pinning-audit: no TLS handshake from 127.0.0.1:${silent.port} within 200 ms\n`);
    });

    it('when the file holds no certificate', async function () {
      const run = await spki(['--file', 'leaf.key'], pki.dir);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, 'pinning-audit: leaf.key holds no certificate (expected PEM or DER)\n');
    });

    it('when the file does not exist', async function () {
      const run = await spki(['--file', 'missing.pem', '--format', 'json'], pki.dir);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, 'pinning-audit: cannot read missing.pem: no such file\n');
    });
  });

  describe('exit code 2 for usage errors', function () {
    const cases: Array<[string[], RegExp]> = [
      [[], /missing host/],
      [['a.example', 'b.example'], /one host at a time/],
      [['http://example.com'], /not a TLS URL/],
      [['example.com:99999'], /port must be a number/],
      [['example.com', '--format', 'xml'], /--format must be text or json/],
      [['example.com', '--timeout', 'soon'], /--timeout must be a whole number/],
      [['example.com', '--timeout'], /option --timeout needs a value/],
      [['example.com', '--insecure'], /unknown option --insecure/],
      [['example.com', '--file', 'x.pem'], /either a host or --file/],
      [['--file', 'x.pem', '--servername', 'a.example'], /--servername applies to a host/],
    ];
    for (const [args, message] of cases) {
      it(`spki ${args.join(' ') || '(nothing)'}`, async function () {
        const run = await spki(args, pki.dir);
        assert.equal(run.code, 2);
        assert.equal(run.stdout, '');
        const [reason, hint, rest] = run.stderr.split('\n');
        assert.match(reason, /^pinning-audit: /);
        assert.match(reason, message);
        assert.equal(hint, "Run 'pinning-audit spki --help' for usage.");
        assert.equal(rest, '');
      });
    }

    it('--help prints usage and exits 0', async function () {
      const run = await spki(['--help'], pki.dir);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^Usage: pinning-audit spki/);
    });
  });
});
