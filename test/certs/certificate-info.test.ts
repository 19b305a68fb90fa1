import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { oneLineError } from './assertions';
import { parseCertificates, readCertificateFile, roleOf } from '../../common/certs/certificate-info';
import {
  generateKey,
  KEY_ALGORITHMS,
  makeTempDir,
  makeTestPki,
  openssl,
  opensslCertSha256,
  opensslSpkiPin,
  requireOpenssl,
  selfSignedCertificate,
  type TestPki,
} from './openssl';

describe('certs: certificate info', function () {
  let dir: string;
  const certFiles = new Map<string, string>();
  let pki: TestPki;

  before(async function () {
    this.timeout(180_000); // RSA 4096 key generation can take a while on a slow machine
    requireOpenssl();
    dir = makeTempDir('certinfo');
    const keyTypes = Object.keys(KEY_ALGORITHMS);
    const keys = await Promise.all(keyTypes.map((keyType) => generateKey(dir, slug(keyType), keyType)));
    keyTypes.forEach((keyType, i) => certFiles.set(keyType, selfSignedCertificate(dir, slug(keyType), keys[i])));
    pki = await makeTestPki(makeTempDir('certinfo-pki'));
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  for (const keyType of Object.keys(KEY_ALGORITHMS)) {
    it(`matches openssl's pin and names the key for ${keyType}`, async function () {
      const certFile = certFiles.get(keyType)!;
      const [info] = await readCertificateFile(certFile);
      assert.equal(info.keyType, keyType);
      assert.equal(info.spkiSha256, opensslSpkiPin(certFile));
      assert.equal(info.certSha256, opensslCertSha256(certFile));
      assert.equal(info.subjectCN, slug(keyType));
      assert.deepEqual(info.sans, ['DNS:localhost', 'IP:127.0.0.1']);
      assert.equal(info.selfSigned, true);
    });
  }

  it('reads a DER file the same as its PEM', async function () {
    const pemFile = certFiles.get('EC P-384')!;
    const derFile = path.join(dir, 'p384.der');
    openssl(['x509', '-in', pemFile, '-outform', 'der', '-out', derFile]);
    const [fromDer] = await readCertificateFile(derFile);
    const [fromPem] = await readCertificateFile(pemFile);
    assert.equal(fromDer.spkiSha256, fromPem.spkiSha256);
    assert.equal(fromDer.certSha256, fromPem.certSha256);
    assert.deepEqual(fromDer.der, fromPem.der);
  });

  it('reads every certificate of a PEM bundle in file order, skipping other blocks', async function () {
    const bundle = path.join(dir, 'bundle.pem');
    const parts = [pki.leaf.cert, pki.leaf.key, pki.intermediate.cert, pki.root.cert].map((f) => fs.readFileSync(f, 'utf8'));
    fs.writeFileSync(bundle, `comment line before the first block\n${parts.join('')}`);
    const chain = await readCertificateFile(bundle);
    assert.deepEqual(
      chain.map((c) => c.spkiSha256),
      [pki.leaf.cert, pki.intermediate.cert, pki.root.cert].map(opensslSpkiPin),
    );
    assert.deepEqual(chain.map((c) => c.keyType), ['EC P-256', 'EC P-384', 'RSA 2048']);
    assert.deepEqual(chain.map((_, i) => roleOf(i, chain)), ['leaf', 'intermediate', 'root']);
    assert.deepEqual(chain.map((c) => c.isCA), [false, true, true]);
    assert.deepEqual(chain.map((c) => c.selfSigned), [false, false, true]);
    assert.equal(chain[0].issuer, 'CN=Pinning Audit Test Intermediate');
    assert.deepEqual(chain[0].sans, ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1']);
  });

  it('gives the validity period of an expired certificate', async function () {
    const [expired] = await readCertificateFile(pki.expiredLeaf.cert);
    assert.equal(expired.notBefore.toISOString(), '2020-01-01T00:00:00.000Z');
    assert.equal(expired.notAfter.toISOString(), '2020-02-01T00:00:00.000Z');
  });

  it('rejects a file without certificates with one line naming it', async function () {
    const keyOnly = pki.leaf.key;
    await assert.rejects(readCertificateFile(keyOnly, 'leaf.key'), oneLineError(/^leaf\.key holds no certificate/));
    const empty = path.join(dir, 'empty.pem');
    fs.writeFileSync(empty, '');
    await assert.rejects(readCertificateFile(empty), oneLineError(/holds no certificate/));
    const garbage = path.join(dir, 'garbage.der');
    fs.writeFileSync(garbage, Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]));
    await assert.rejects(readCertificateFile(garbage), oneLineError(/holds no certificate/));
    await assert.rejects(readCertificateFile(path.join(dir, 'missing.pem'), 'missing.pem'), oneLineError(/^cannot read missing\.pem: no such file$/));
  });

  it('reports a damaged PEM certificate with its position', function () {
    const good = fs.readFileSync(pki.leaf.cert, 'utf8');
    const damaged = '-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n';
    assert.throws(() => parseCertificates(good + damaged), oneLineError(/^certificate #2 cannot be parsed/));
  });

  it('calls the first certificate the leaf, even when self-signed', async function () {
    const chain = await readCertificateFile(pki.selfSigned.cert);
    assert.equal(chain[0].selfSigned, true);
    assert.equal(roleOf(0, chain), 'leaf');
  });
});

function slug(keyType: string): string {
  return keyType.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
