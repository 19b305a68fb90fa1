// The pure parts of the client's pin commands: QuickPick content, set choice, arguments, checks.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCertificateFile, roleOf, type CertificateInfo } from '../../common/certs/certificate-info';
import type { PinSetSummary, PinSetTie, PinSetVerification } from '../../common/protocol';
import { certificateItems, expiry, pinText, sourceLine } from '../../client/src/pins/certificate-items';
import { backupNote, defaultKeyFolder, keyTypeChoices, riskyKeyFolder } from '../../client/src/pins/backup-key-choices';
import { parseBackupKeyArgs, parseCertificateFileArgs, parseFetchPinsArgs, parseVerifyPinsArgs } from '../../client/src/pins/command-args';
import { staleDocuments } from '../../client/src/pins/edit-versions';
import { pinSetChoices } from '../../client/src/pins/pin-set-choices';
import { fetchGroups, mapLimited, verificationMessage } from '../../client/src/pins/verify-plan';
import { restrictSection, trustedValue } from '../../client/src/trusted-settings';
import { makeTempDir, makeTestPki, opensslSpkiPin, requireOpenssl, type TestPki } from '../certs/openssl';

const range = (line: number, endLine = line + 2) => ({ start: { line, character: 2 }, end: { line: endLine, character: 3 } });
const fileName = (uri: string) => uri.replace('file:///w/', '');

function summary(extra: Partial<PinSetSummary>): PinSetSummary {
  return { uri: 'file:///w/lib/pins.dart', range: range(1), kind: 'collection', language: 'dart', pinCount: 2, holds: [], ...extra };
}

describe('client: pin command helpers', function () {
  describe('certificate QuickPick items', function () {
    let pki: TestPki;
    let chain: CertificateInfo[];

    before(async function () {
      this.timeout(60_000);
      requireOpenssl();
      pki = await makeTestPki(makeTempDir('client-items'));
      const bundle = `${pki.dir}/bundle.pem`;
      fs.writeFileSync(bundle, [pki.leaf.cert, pki.intermediate.cert, pki.root.cert].map((f) => fs.readFileSync(f, 'utf8')).join(''));
      chain = await readCertificateFile(bundle);
    });
    after(() => pki && fs.rmSync(pki.dir, { recursive: true, force: true }));

    it('lists role, names, key, expiry, issuer, pin and the sets holding it, leaf first', () => {
      const now = new Date(chain[0].notBefore.getTime() + 86_400_000);
      const holder = summary({ name: 'spkiPinsByHost[localhost]', holds: [chain[0].spkiSha256] });
      const items = certificateItems(chain, chain.map((_, i) => roleOf(i, chain)), [holder, summary({ name: 'other' })], now, fileName);
      assert.deepEqual(items.map((i) => i.label), ['leaf: localhost', 'intermediate: Pinning Audit Test Intermediate', 'root: Pinning Audit Test Root']);
      assert.equal(items[0].pin, opensslSpkiPin(pki.leaf.cert));
      assert.match(items[0].description, /^EC P-256 · expires \d{4}-\d\d-\d\d \(2[89] days left\) · issuer CN=Pinning Audit Test Intermediate$/);
      assert.equal(items[0].detail, `sha256/${items[0].pin} · SANs DNS:localhost, IP:127.0.0.1, IP:::1 · already in spkiPinsByHost[localhost] (lib/pins.dart)`);
      assert.match(items[2].description, /^RSA 2048 · /);
      assert.match(items[2].detail, /in no pin set of the workspace$/);
    });

    it('numbers certificates from a file instead of naming chain roles', () => {
      const items = certificateItems(chain.slice(0, 1), undefined, [], chain[0].notBefore, fileName);
      assert.equal(items[0].label, '#1: localhost');
    });

    it('says whether a fetched chain is trusted and the name matches', () => {
      assert.equal(sourceLine({ kind: 'host', target: 'a.example:443', verified: true, verifyError: null, hostnameMatches: true }, 3),
        'a.example:443: 3 certificates, chain trusted (system and configured CAs), name matches');
      assert.equal(sourceLine({ kind: 'host', target: '127.0.0.1:8443', verified: false, verifyError: 'self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)', hostnameMatches: true }, 1),
        '127.0.0.1:8443: 1 certificate, NOT verified: self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN) (name matches)');
      assert.equal(sourceLine({ kind: 'file', name: 'ca.pem' }, 2), 'ca.pem: 2 certificates (read from a file: not verified)');
    });
  });

  it('words expiry, past and future', () => {
    const now = new Date('2030-06-01T12:00:00Z');
    assert.equal(expiry(new Date('2030-01-01'), new Date('2030-06-02T13:00:00Z'), now), 'expires 2030-06-02 (1 day left)');
    assert.equal(expiry(new Date('2030-01-01'), new Date('2030-05-29T00:00:00Z'), now), 'EXPIRED 3 days ago (2030-05-29)');
    assert.equal(expiry(new Date('2030-07-01'), new Date('2031-01-01'), now), 'not valid before 2030-07-01');
    assert.equal(pinText('copySha256', 'abc='), 'sha256/abc=');
    assert.equal(pinText('copy', 'abc='), 'abc=');
  });

  describe('choosing the pin set', () => {
    const api = summary({ name: 'byHost[api.example.com]', host: 'api.example.com', mapName: 'byHost', range: range(2) });
    const auth = summary({ name: 'byHost[auth.example.com]', host: 'auth.example.com', mapName: 'byHost', range: range(6), holds: ['P'] });
    const uploads = summary({ uri: 'file:///w/lib/uploads.dart', name: 'uploadPins', range: range(0, 0), pinCount: 1 });

    it('offers a host-keyed map once, as the fetched host\'s entry (new or existing), before other sets', () => {
      const choices = pinSetChoices([api, auth, uploads], 'P', { host: 'cdn.example.com', fileName });
      assert.deepEqual(choices.map((c) => [c.label, c.detail]), [
        ["byHost['cdn.example.com']", 'new entry for cdn.example.com (the map has api.example.com, auth.example.com)'],
        ['uploadPins', '1 pin'],
      ]);
      const existing = pinSetChoices([api, auth, uploads], 'P', { host: 'AUTH.example.com', fileName });
      assert.deepEqual(existing[0].selector, { file: auth.uri, range: auth.range });
      assert.equal(existing[0].detail, '2 pins · already holds this pin');
    });

    it('lists every set without a host, those already holding the pin last, a preselected one first', () => {
      const choices = pinSetChoices([auth, api, uploads], 'P', { fileName });
      assert.deepEqual(choices.map((c) => c.label), ['byHost[api.example.com]', 'uploadPins', 'byHost[auth.example.com]']);
      const preselected = pinSetChoices([auth, api, uploads], 'P', { fileName, preselected: { file: '/w/lib/uploads.dart', range: range(0, 0) } });
      assert.equal(preselected[0].label, 'uploadPins');
      assert.equal(preselected[0].description, 'lib/uploads.dart:1');
    });
  });

  describe('command arguments', () => {
    it('accepts what tests and quick fixes pass', () => {
      assert.deepEqual(parseFetchPinsArgs({ target: ' 127.0.0.1:8443 ', certificateIndex: 0, action: 'insert', pinSet: { name: 'pins' }, createPinsFileIfMissing: true }),
        { target: '127.0.0.1:8443', certificateIndex: 0, action: 'insert', pinSet: { name: 'pins' }, createPinsFileIfMissing: true });
      assert.deepEqual(parseFetchPinsArgs({ pinSet: { file: '/w/a.ts', range: range(1) } }), { pinSet: { file: '/w/a.ts', range: range(1) } });
      assert.deepEqual(parseFetchPinsArgs(undefined), {});
      assert.deepEqual(parseCertificateFileArgs({ file: 'certs/ca.pem', action: 'copySha256' }), { file: 'certs/ca.pem', action: 'copySha256' });
      assert.deepEqual(parseVerifyPinsArgs({ hosts: { pins: '127.0.0.1:8443' } }), { hosts: { pins: '127.0.0.1:8443' } });
      assert.deepEqual(parseFetchPinsArgs({ replace: { file: 'file:///w/a.ts', range: range(3) } }), { replace: { file: 'file:///w/a.ts', range: range(3) } });
    });

    it('refuses malformed arguments with a message naming the field', () => {
      assert.throws(() => parseFetchPinsArgs({ certificateIndex: -1 }), /certificateIndex must be a whole number/);
      assert.throws(() => parseFetchPinsArgs({ action: 'paste' }), /action must be one of insert, copy, copySha256/);
      assert.throws(() => parseFetchPinsArgs({ pinSet: { file: 'a.ts' } }), /pinSet must be \{file, range\}, \{name\} or \{host\}/);
      assert.throws(() => parseFetchPinsArgs('api.example.com'), /expected an object argument/);
      assert.throws(() => parseFetchPinsArgs({ replace: { name: 'pins' } }), /replace must be \{file, range\}/);
      assert.throws(() => parseVerifyPinsArgs({ hosts: { pins: 443 } }), /hosts\.pins must be a non-empty string/);
      assert.throws(() => parseVerifyPinsArgs({ pinSet: { name: 'pins' } }), /pinSet must be \{file, range\}/);
    });
  });

  it('refuses a server edit for a document that changed since', () => {
    const edit = (version: number | null) => ({ documentChanges: [{ textDocument: { uri: 'file:///w/a.dart', version }, edits: [] }] });
    const open = (version: number, isDirty = false) => () => ({ version, isDirty });
    assert.deepEqual(staleDocuments(edit(4), open(4)), []);
    assert.deepEqual(staleDocuments(edit(4), open(5)), ['file:///w/a.dart']);
    assert.deepEqual(staleDocuments(edit(4), () => undefined), ['file:///w/a.dart'], 'closed meanwhile');
    assert.deepEqual(staleDocuments(edit(null), () => undefined), []);
    assert.deepEqual(staleDocuments(edit(null), open(2, true)), ['file:///w/a.dart'], 'opened and edited meanwhile');
    assert.deepEqual(staleDocuments({ documentChanges: [{ kind: 'create', uri: 'file:///w/new.ts' }] }, () => undefined), []);
  });

  it('fetches each target and SNI name once, and sums the results up', async () => {
    const tie = (setKey: string, host: string, port: number, servername?: string): PinSetTie =>
      ({ uri: 'file:///w/a.ts', range: range(1), setKey, host, target: { host, port }, ...(servername ? { servername } : {}) });
    const groups = fetchGroups([tie('a', 'h.example', 443), tie('b', 'h.example', 443), tie('c', '10.0.0.1', 443, 'h.example')]);
    assert.deepEqual(groups.map((g) => [g.target.host, g.servername, g.ties.map((t) => t.setKey)]), [['h.example', undefined, ['a', 'b']], ['10.0.0.1', 'h.example', ['c']]]);

    const result = (name: string, status: PinSetVerification['status'], host = 'h.example'): PinSetVerification =>
      ({ uri: 'file:///w/a.ts', range: range(1), name, host, target: `${host}:443`, status, matched: 0, total: 2, summary: '' });
    assert.deepEqual(verificationMessage([result('a', 'ok'), result('b', 'noMatch')]), { level: 'error', text: '1 of 2 pin sets match nothing their host serves (b): those builds cannot connect.' });
    assert.deepEqual(verificationMessage([result('a', 'ok'), result('b', 'unreachable', 'down.example')]), { level: 'warning', text: '2 pin sets checked; 1 could not be: down.example not reachable.' });
    assert.deepEqual(verificationMessage([result('a', 'ok')]), { level: 'info', text: '1 pin set checked: each has a pin its host serves.' });

    let running = 0;
    let most = 0;
    const doubled = await mapLimited([1, 2, 3, 4, 5, 6], 2, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return n * 2;
    });
    assert.deepEqual(doubled, [2, 4, 6, 8, 10, 12]);
    assert.equal(most, 2);
  });

  it('uses only user-level values of restricted settings in an untrusted workspace', () => {
    const inspected = { defaultValue: {}, globalValue: { pins: 'api.example.com' }, workspaceValue: { pins: 'evil.example.net' } };
    assert.deepEqual(trustedValue(inspected.workspaceValue, inspected, true, {}), { pins: 'evil.example.net' });
    assert.deepEqual(trustedValue(inspected.workspaceValue, inspected, false, {}), { pins: 'api.example.com' });
    assert.deepEqual(trustedValue<string[]>(['/w/ca.pem'], { defaultValue: [] }, false, []), []);

    const section = { enable: true, hosts: { pins: 'evil.example.net' }, pinsFile: '../../etc/x.ts', extraCaFiles: ['evil.pem'], rotationWarningDays: 10 };
    const inspect = (key: string) => (key === 'hosts' ? { defaultValue: {}, globalValue: { pins: 'api.example.com' } } : key === 'pinsFile' ? { defaultValue: '' } : { defaultValue: [] });
    assert.deepEqual(restrictSection(section, false, inspect), { enable: true, hosts: { pins: 'api.example.com' }, pinsFile: '', extraCaFiles: [], rotationWarningDays: 10 });
    assert.equal(restrictSection(section, true, inspect), section);
  });
});

describe('client: Create Backup Key choices', () => {
  it('offers Ed25519 only for pin sets whose clients can take it (Node.js), and every type for an unknown set', () => {
    const types = (language?: PinSetSummary['language']) => keyTypeChoices(language).map((c) => c.type);
    assert.deepEqual(types('ts'), ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096', 'ed25519']);
    for (const language of ['dart', 'swift', 'xml'] as const) assert.ok(!types(language).includes('ed25519'), language);
    assert.equal(types(undefined).length, 6);
    assert.match(keyTypeChoices('dart')[0].description, /Android, iOS/);
  });

  it('asks again before a key goes into the workspace or a git repository, not into a folder outside both', () => {
    const dir = makeTempDir('backup-key-folders');
    try {
      const workspace = path.join(dir, 'app');
      const repo = path.join(dir, 'repo');
      fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
      fs.mkdirSync(workspace, { recursive: true });
      assert.match(riskyKeyFolder(path.join(workspace, 'keys'), [workspace]) ?? '', /inside the workspace folder/);
      assert.match(riskyKeyFolder(path.join(repo, 'secrets', 'keys'), [workspace]) ?? '', /inside the git repository .*repo$/);
      assert.equal(riskyKeyFolder(path.join(dir, 'offline-keys'), [workspace]), undefined);
      assert.equal(riskyKeyFolder(`${workspace}-keys`, [workspace]), undefined, 'a sibling folder whose name starts like the workspace\'s');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the default folder under the home folder, and records the key with ~ and its date', () => {
    assert.equal(defaultKeyFolder('my app', '/home/u'), path.join('/home/u', '.pinning-audit', 'keys', 'my-app'));
    assert.equal(backupNote('/home/u/.pinning-audit/keys/app/a.key.pem', '2026-12-04', '/home/u'), 'backup key ~/.pinning-audit/keys/app/a.key.pem, created 2026-12-04');
    assert.equal(backupNote('/srv/keys/a.key.pem', '2026-12-04', '/home/u'), 'backup key /srv/keys/a.key.pem, created 2026-12-04');
  });

  it('checks the scripted arguments of Create Backup Key', () => {
    assert.deepEqual(parseBackupKeyArgs({ type: 'rsa-3072', dir: 'k', hosts: ['api.example.com', '*.example.com'], saveInsideWorkspace: true }),
      { type: 'rsa-3072', dir: 'k', hosts: ['api.example.com', '*.example.com'], saveInsideWorkspace: true });
    assert.throws(() => parseBackupKeyArgs({ type: 'dsa' }), /type must be one of ec-p256/);
    assert.throws(() => parseBackupKeyArgs({ hosts: ['not a host'] }), /hosts must be a list of host names/);
  });
});
