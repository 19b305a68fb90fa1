/**
 * The helpers the SPKI fixes insert compute what SPKI pins hash, checked against real keys and
 * certificates: the Swift headers (as written into the generated Swift code) followed by the key
 * bytes SecKeyCopyExternalRepresentation returns equal the DER SubjectPublicKeyInfo, and the field
 * the Dart helper picks from tbsCertificate is the certificate's SubjectPublicKeyInfo.
 */
import * as assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SWIFT_SPKI_HEADERS } from '../../server/src/fixes/spki-helpers';
import { generateKey, makeTempDir, requireOpenssl, selfSignedCertificate } from '../certs/openssl';
import { FIX_CASES_DIR } from './fix-cases';

/** What SecKeyCopyExternalRepresentation returns: PKCS #1 RSAPublicKey, or the uncompressed X9.63 point 04‖X‖Y. */
function externalRepresentation(publicKey: KeyObject): Buffer {
  if (publicKey.asymmetricKeyType === 'rsa') return publicKey.export({ type: 'pkcs1', format: 'der' });
  const jwk = publicKey.export({ format: 'jwk' });
  const size = { 'P-256': 32, 'P-384': 48, 'P-521': 66 }[jwk.crv as string]!;
  const coordinate = (v: string) => Buffer.concat([Buffer.alloc(size), Buffer.from(v, 'base64url')]).subarray(-size);
  return Buffer.concat([Buffer.from([0x04]), coordinate(jwk.x!), coordinate(jwk.y!)]);
}

const KEYS: { type: 'RSA' | 'EC'; bits: number; make: () => KeyObject }[] = [
  { type: 'RSA', bits: 2048, make: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey },
  { type: 'RSA', bits: 3072, make: () => generateKeyPairSync('rsa', { modulusLength: 3072 }).publicKey },
  { type: 'RSA', bits: 4096, make: () => generateKeyPairSync('rsa', { modulusLength: 4096 }).publicKey },
  { type: 'EC', bits: 256, make: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey },
  { type: 'EC', bits: 384, make: () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey },
  { type: 'EC', bits: 521, make: () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey },
];

/** The `case <bits>: return [0x.., …]` arrays of the generated Swift spkiHeader, per key type. */
function headersInGeneratedSwift(): Map<string, number[]> {
  const swift = fs.readFileSync(path.join(FIX_CASES_DIR, 'raw-public-key-hash', 'swift-raw-key.expected.swift'), 'utf8');
  const found = new Map<string, number[]>();
  let type = '';
  for (const line of swift.split('\n')) {
    if (line.includes('kSecAttrKeyTypeRSA')) type = 'RSA';
    if (line.includes('kSecAttrKeyTypeECSECPrimeRandom')) type = 'EC';
    const m = /case (\d+): return \[([^\]]+)\]/.exec(line);
    if (m) found.set(`${type} ${m[1]}`, m[2].split(',').map((b) => Number.parseInt(b.trim(), 16)));
  }
  return found;
}

describe('inserted SPKI helpers', function () {
  this.timeout(60_000);

  it('the Swift header for each key type and size, then the key, is its SubjectPublicKeyInfo', () => {
    const generated = headersInGeneratedSwift();
    assert.equal(generated.size, KEYS.length, 'every key type and size has a case in the generated Swift');
    for (const key of KEYS) {
      const publicKey = key.make();
      const spki = publicKey.export({ type: 'spki', format: 'der' });
      const raw = externalRepresentation(publicKey);
      const header = SWIFT_SPKI_HEADERS.find((h) => h.type === key.type && h.bits === key.bits)!.header;
      assert.deepEqual(Buffer.concat([Buffer.from(header), raw]), spki, `${key.type} ${key.bits}`);
      assert.deepEqual(generated.get(`${key.type} ${key.bits}`), header, `generated Swift for ${key.type} ${key.bits}`);
    }
  });

  it('the tbsCertificate field the Dart helper returns is the certificate\'s SubjectPublicKeyInfo', async () => {
    requireOpenssl();
    const dir = makeTempDir('spki-helper');
    try {
      for (const keyType of ['RSA 2048', 'EC P-256']) {
        const certificate = new X509Certificate(fs.readFileSync(selfSignedCertificate(dir, keyType.replace(' ', '-'), await generateKey(dir, keyType.replace(' ', '-'), keyType))));
        // The Dart helper's steps: Certificate SEQUENCE → tbsCertificate SEQUENCE → field 6 after a [0] version, else 5.
        const [tbs] = derElements(derElements(certificate.raw)[0].content);
        const fields = derElements(tbs.content);
        const hasVersion = fields[0].tag === 0xa0;
        const picked = fields[hasVersion ? 6 : 5].encoded;
        assert.ok(hasVersion, 'openssl writes v3 certificates');
        assert.deepEqual(picked, certificate.publicKey.export({ type: 'spki', format: 'der' }), keyType);
        assert.deepEqual(createPublicKey({ key: picked, format: 'der', type: 'spki' }).export({ format: 'jwk' }), certificate.publicKey.export({ format: 'jwk' }));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The DER elements in `bytes`, as asn1lib's ASN1Sequence.elements sees them: tag, content, and the whole encoding. */
function derElements(bytes: Buffer): { tag: number; content: Buffer; encoded: Buffer }[] {
  const elements: { tag: number; content: Buffer; encoded: Buffer }[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tag = bytes[at];
    let length = bytes[at + 1];
    let header = 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[at + 2 + i];
      header += count;
    }
    elements.push({ tag, content: bytes.subarray(at + header, at + header + length), encoded: bytes.subarray(at, at + header + length) });
    at += header + length;
  }
  return elements;
}
