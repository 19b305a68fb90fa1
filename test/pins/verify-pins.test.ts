import * as assert from 'node:assert/strict';
import type { HostCheck, ServedCertificate } from '../../common/pins/host-check';
import type { PinSet } from '../../server/src/engine/workspace';
import { hostTies } from '../../server/src/pins/host-ties';
import { verifyPinSet } from '../../server/src/pins/verify-pins';
import { VERIFICATION_DIAGNOSTIC_IDS } from '../../server/src/pins/verification-ids';
import { randomPin } from './edit-helpers';

const NOW = new Date('2030-01-01T00:00:00Z');
const DAY = 86_400_000;
const range = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 50 } });

function certificate(role: ServedCertificate['role'], daysLeft: number): ServedCertificate {
  return {
    role,
    subject: `CN=${role}`,
    subjectCN: role,
    keyType: 'EC P-256',
    notAfter: new Date(NOW.getTime() + daysLeft * DAY + 3_600_000).toISOString(),
    spkiSha256: randomPin(),
    certSha256: Buffer.from(randomPin(), 'base64').toString('hex'),
  };
}

function pinSet(values: string[], extra: Partial<PinSet> = {}): PinSet {
  return {
    file: '/w/pins.ts',
    kind: 'collection',
    range: { start: { line: 1, character: 0 }, end: { line: 1 + values.length, character: 1 } },
    name: 'pins',
    pins: values.map((value, i) => ({ value, range: range(2 + i) })),
    usesSha256Prefix: values.some((v) => v.startsWith('sha256/')),
    ...extra,
  };
}

function served(...chain: ServedCertificate[]): HostCheck {
  return { target: 'api.example.com:443', checkedAt: NOW.toISOString(), chain, verified: true, verifyError: null, hostnameMatches: true };
}

describe('pins: verifying pins against a served chain', () => {
  const leaf = certificate('leaf', 64);
  const intermediate = certificate('intermediate', 900);
  const options = { now: NOW, rotationWarningDays: 30 };

  it('counts matches in any notation and says when the leaf expires', () => {
    const hexIntermediate = Buffer.from(intermediate.spkiSha256, 'base64').toString('hex');
    const result = verifyPinSet(pinSet([`sha256/${leaf.spkiSha256}`, hexIntermediate]), 'api.example.com', served(leaf, intermediate), options);
    assert.equal(result.status, 'ok');
    assert.equal(result.matched, 2);
    assert.equal(result.summary, '2/2 pins match api.example.com: 2 live, no backup · leaf expires in 64 days');
    // Every pin is live: a key change would leave none.
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.level, f.range]), [['no-backup-pin', 'warning', result.findings[0]?.range]]);
    assert.deepEqual(result.rotation, { live: 2, backup: 0, stale: 0 });
  });

  it('matches an Android pin written without its final "=" (android.util.Base64 reads it the same)', () => {
    const unpadded = leaf.spkiSha256.replace(/=$/, '');
    const result = verifyPinSet(pinSet([unpadded, intermediate.spkiSha256]), 'api.example.com', served(leaf, intermediate), options);
    assert.deepEqual(result.pins.map((p) => p.state), ['live', 'live']);
  });

  it('counts a pin recorded as a backup (a comment says so) as the backup, not as stale', () => {
    const set = pinSet([leaf.spkiSha256, randomPin()]);
    set.pins[1].backup = true;
    const result = verifyPinSet(set, 'api.example.com', served(leaf, intermediate), options);
    assert.equal(result.summary, '1/2 pins match api.example.com: 1 live, 1 backup · leaf expires in 64 days');
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.pins.map((p) => p.state), ['live', 'backup']);
  });

  it('reports a pin matching nothing served as stale, on the pin', () => {
    const stale = randomPin();
    const result = verifyPinSet(pinSet([leaf.spkiSha256, stale]), 'api.example.com', served(leaf, intermediate), options);
    assert.equal(result.summary, '1/2 pins match api.example.com: 1 live, 1 stale · leaf expires in 64 days');
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.level, f.range.start.line]), [['stale-pin', 'warning', 3]]);
  });

  it('reports a set with no matching pin once, as an error on the set', () => {
    const set = pinSet([randomPin(), randomPin()]);
    const result = verifyPinSet(set, 'api.example.com', served(leaf, intermediate), options);
    assert.equal(result.status, 'noMatch');
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.level]), [['no-pin-matches-host', 'error']]);
    assert.deepEqual(result.findings[0].range, set.range);
    assert.match(result.findings[0].message, new RegExp(`sha256/${leaf.spkiSha256.replace(/[+/]/g, '\\$&')}`));
  });

  it('matches a full-certificate pin by the certificate hash', () => {
    const result = verifyPinSet(pinSet([leaf.certSha256, randomPin()]), 'api.example.com', served(leaf), options);
    assert.equal(result.matched, 1);
    assert.equal(result.pins[0].certificate, leaf);
  });

  it('warns when a matched certificate expires within the rotation window', () => {
    const soon = certificate('leaf', 12);
    const set = pinSet([soon.spkiSha256, randomPin()]);
    set.pins[1].backup = true;
    const result = verifyPinSet(set, 'api.example.com', served(soon, intermediate), options);
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.range.start.line]), [['pinned-certificate-expiring', 2]]);
    assert.match(result.findings[0].message, /expires in 12 days/);
    assert.deepEqual(verifyPinSet(set, 'api.example.com', served(soon, intermediate), { now: NOW, rotationWarningDays: 7 }).findings, []);
  });

  it('judges nothing for an unreachable host', () => {
    const check: HostCheck = { target: 'api.example.com:443', checkedAt: NOW.toISOString(), error: 'connection refused by 127.0.0.1:443' };
    const result = verifyPinSet(pinSet([randomPin()]), 'api.example.com', check, options);
    assert.equal(result.status, 'unreachable');
    assert.deepEqual(result.findings, []);
    assert.equal(result.summary, 'api.example.com could not be checked: connection refused by 127.0.0.1:443');
  });

  it('exports each verification id once', () => {
    assert.deepEqual([...VERIFICATION_DIAGNOSTIC_IDS].sort(), ['no-backup-pin', 'no-pin-matches-host', 'pinned-certificate-expiring', 'stale-pin']);
  });
});

describe('pins: which pin sets are tied to hosts', () => {
  const entry = (host: string) => pinSet([randomPin()], { name: `pinsByHost[${host}]`, host });

  it('ties map entries to their host on port 443 and named sets through the hosts map', () => {
    const api = entry('api.example.com');
    const named = pinSet([randomPin()], { name: 'uploadPins' });
    const loose = pinSet([randomPin()], { name: 'otherPins' });
    const { ties, skipped } = hostTies([api, named, loose], { uploadPins: 'https://upload.example.com:8443/v1' });
    assert.deepEqual(ties.map((t) => [t.setKey, t.host, t.target.host, t.target.port]), [
      ['pinsByHost[api.example.com]', 'api.example.com', 'api.example.com', 443],
      ['uploadPins', 'https://upload.example.com:8443/v1', 'upload.example.com', 8443],
    ]);
    assert.deepEqual(skipped, []);
  });

  it('lets the hosts map send a map entry to an address, with the entry host as SNI name', () => {
    const { ties } = hostTies([entry('api.example.com')], { 'API.example.com': '127.0.0.1:8443' });
    assert.deepEqual(ties.map((t) => [t.target.host, t.target.port, t.servername]), [['127.0.0.1', 8443, 'api.example.com']]);
  });

  it('skips wildcard hosts, bad targets and names that tie nothing, saying why', () => {
    const { ties, skipped } = hostTies([entry('*.example.com'), pinSet([randomPin()], { name: 'cdnPins' })], { cdnPins: 'http://cdn.example.com', nothing: 'a.example.com' });
    assert.deepEqual(ties, []);
    assert.deepEqual(skipped.map((s) => s.name), ['pinsByHost[*.example.com]', 'cdnPins', 'nothing']);
    assert.match(skipped[1].reason, /not a TLS URL/);
  });
});
