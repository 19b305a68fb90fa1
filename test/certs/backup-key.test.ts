// Backup keys checked with the real openssl CLI: the pin is the one openssl computes, the CSR
// verifies and names the hosts, the key is private, and nothing is ever overwritten.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BACKUP_KEY_TYPES,
  BackupKeyExistsError,
  createBackupKey,
  defaultKeyName,
  parseBackupKeyType,
  type BackupKey,
} from '../../common/keys/backup-key';
import type { BackupKeyReport } from '../../server/src/cli/backup-key';
import { runCliInProcess } from '../helpers/cli';
import { readRepoFile } from '../package/repo';
import { makeTempDir, openssl, requireOpenssl } from './openssl';

const HOSTS = ['api.example.com', 'backup.example.com'];
const NOW = new Date('2026-12-04T10:00:00Z');

/** openssl req -pubkey | pkey -pubin -outform der | dgst -sha256 -binary | enc -base64, piece by piece. */
function opensslCsrPin(csrFile: string): string {
  const publicKeyPem = openssl(['req', '-in', csrFile, '-noout', '-pubkey']);
  const spkiDer = openssl(['pkey', '-pubin', '-outform', 'der'], publicKeyPem);
  const digest = openssl(['dgst', '-sha256', '-binary'], spkiDer);
  return openssl(['enc', '-base64'], digest).toString().trim();
}

/** The pin of the public half openssl derives from the private key file. */
function opensslKeyPin(keyFile: string): string {
  const spkiDer = openssl(['pkey', '-in', keyFile, '-pubout', '-outform', 'der']);
  return createHash('sha256').update(spkiDer).digest('base64');
}


const cli = runCliInProcess;

describe('certs: backup keys', function () {
  this.timeout(60_000);
  let dir: string;

  before(function () {
    requireOpenssl();
    dir = makeTempDir('backup-key');
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names keys after the first host and the day', function () {
    assert.equal(defaultKeyName(HOSTS, NOW), 'api.example.com-backup-2026-12-04');
    assert.equal(defaultKeyName([], NOW), 'backup-2026-12-04');
    assert.equal(parseBackupKeyType('rsa-3072'), 'rsa-3072');
    assert.equal(parseBackupKeyType('dsa'), undefined);
    assert.equal(BACKUP_KEY_TYPES[0].type, 'ec-p256', 'the default comes first in the picker');
  });

  it('documents every key type with its platforms in docs/rotation.md', function () {
    const runbook = readRepoFile('docs/rotation.md');
    for (const { type, label, platforms } of BACKUP_KEY_TYPES) {
      assert.ok(runbook.includes(`| \`${type}\``) && runbook.includes(`| ${label} | ${platforms}`), `docs/rotation.md has no row for ${type}`);
    }
  });

  for (const { type } of BACKUP_KEY_TYPES) {
    describe(type, function () {
      let key: BackupKey;

      before(async function () {
        key = await createBackupKey({ type, dir: path.join(dir, type), hosts: HOSTS, now: NOW });
      });

      it('writes both files under the default name', function () {
        assert.equal(key.type, type);
        assert.equal(key.keyPath, path.join(dir, type, 'api.example.com-backup-2026-12-04.key.pem'));
        assert.equal(key.csrPath, path.join(dir, type, 'api.example.com-backup-2026-12-04.csr.pem'));
        assert.equal(key.createdOn, '2026-12-04');
        assert.match(fs.readFileSync(key.keyPath, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
        assert.match(fs.readFileSync(key.csrPath, 'utf8'), /^-----BEGIN CERTIFICATE REQUEST-----\n[^]*-----END CERTIFICATE REQUEST-----\n$/);
      });

      it('pins what openssl computes from the CSR and from the key', function () {
        assert.equal(key.spkiSha256, opensslCsrPin(key.csrPath));
        assert.equal(key.spkiSha256, opensslKeyPin(key.keyPath));
      });

      it('writes a CSR signed by the key, for every host', function () {
        openssl(['req', '-verify', '-in', key.csrPath, '-noout']);
        const text = openssl(['req', '-in', key.csrPath, '-noout', '-text']).toString();
        assert.match(text, /Subject: CN\s?=\s?api\.example\.com\n/);
        assert.match(text, /DNS:api\.example\.com, DNS:backup\.example\.com/);
      });

      it('keeps the key private to its owner', function () {
        assert.equal(fs.statSync(key.keyPath).mode & 0o777, 0o600);
        if (process.platform !== 'win32') assert.equal(fs.statSync(path.dirname(key.keyPath)).mode & 0o077, 0, 'a new folder is 0700');
      });
    });
  }

  it('makes a CSR without hosts, named by its file name and without SANs', async function () {
    const key = await createBackupKey({ type: 'ec-p256', dir: path.join(dir, 'no-hosts'), now: NOW });
    assert.equal(path.basename(key.keyPath), 'backup-2026-12-04.key.pem');
    openssl(['req', '-verify', '-in', key.csrPath, '-noout']);
    const text = openssl(['req', '-in', key.csrPath, '-noout', '-text']).toString();
    assert.match(text, /Subject: CN\s?=\s?backup-2026-12-04\n/);
    assert.doesNotMatch(text, /Subject Alternative Name/);
    assert.equal(key.spkiSha256, opensslCsrPin(key.csrPath));
  });

  it('never overwrites an existing key, and writes no CSR beside it', async function () {
    const target = path.join(dir, 'existing-key');
    fs.mkdirSync(target);
    const keyPath = path.join(target, 'live.key.pem');
    fs.writeFileSync(keyPath, 'the key in use\n');
    await assert.rejects(
      createBackupKey({ type: 'ec-p256', dir: target, name: 'live', hosts: HOSTS }),
      (error: unknown) => error instanceof BackupKeyExistsError && error.path === keyPath,
    );
    assert.equal(fs.readFileSync(keyPath, 'utf8'), 'the key in use\n');
    assert.deepEqual(fs.readdirSync(target), ['live.key.pem']);
  });

  it('never overwrites an existing CSR, and writes no key beside it', async function () {
    const target = path.join(dir, 'existing-csr');
    fs.mkdirSync(target);
    const csrPath = path.join(target, 'live.csr.pem');
    fs.writeFileSync(csrPath, 'the CSR sent to the CA\n');
    await assert.rejects(
      createBackupKey({ type: 'ec-p256', dir: target, name: 'live', hosts: HOSTS }),
      (error: unknown) => error instanceof BackupKeyExistsError && error.path === csrPath,
    );
    assert.equal(fs.readFileSync(csrPath, 'utf8'), 'the CSR sent to the CA\n');
    assert.deepEqual(fs.readdirSync(target), ['live.csr.pem']);
  });

  it('refuses a host or a name that would not stay a DNS name or a file in the folder', async function () {
    await assert.rejects(createBackupKey({ type: 'ec-p256', dir, hosts: ['not a host'] }), /not a host name/);
    await assert.rejects(createBackupKey({ type: 'ec-p256', dir, name: '../escape' }), /cannot be a file name/);
    assert.equal(fs.existsSync(path.join(path.dirname(dir), 'escape.key.pem')), false);
  });

  describe('pinning-audit backup-key', function () {
    it('prints the paths and the pin as JSON, relative --out against the working folder', async function () {
      const run = await cli(['backup-key', '--type', 'ec-p384', '--out', 'cli-json', '--host', 'api.example.com', '--format', 'json'], dir);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, '');
      const report = JSON.parse(run.stdout) as BackupKeyReport;
      assert.deepEqual(Object.keys(report), ['type', 'keyPath', 'csrPath', 'pin', 'createdOn']);
      assert.equal(report.type, 'ec-p384');
      assert.equal(path.dirname(report.keyPath), path.join(dir, 'cli-json'));
      assert.match(path.basename(report.keyPath), /^api\.example\.com-backup-\d{4}-\d{2}-\d{2}\.key\.pem$/);
      assert.match(report.createdOn, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(report.pin, opensslCsrPin(report.csrPath));
      assert.equal(report.pin, opensslKeyPin(report.keyPath));
      assert.doesNotMatch(run.stdout, /PRIVATE KEY/);
    });

    it('prints the paths, the pin and what to do with the key as text; ec-p256 by default', async function () {
      const run = await cli(['backup-key', '--out', 'cli-text', '--name', 'next'], dir);
      assert.equal(run.code, 0, run.stderr);
      const pin = opensslKeyPin(path.join(dir, 'cli-text', 'next.key.pem'));
      assert.equal(run.stdout, [
        `key: ${path.join('cli-text', 'next.key.pem')} (EC P-256, private)`,
        `csr: ${path.join('cli-text', 'next.csr.pem')}`,
        `pin: sha256/${pin}`,
        'Keep the key offline (not on the server, not in the repository) and pin it as the backup next to the live pin.',
        '',
      ].join('\n'));
    });

    it('exits 2 and writes nothing when a target file exists', async function () {
      const target = path.join(dir, 'cli-existing');
      fs.mkdirSync(target);
      fs.writeFileSync(path.join(target, 'next.csr.pem'), 'kept\n');
      const run = await cli(['backup-key', '--out', target, '--name', 'next'], dir);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /cli-existing[/\\]next\.csr\.pem already exists; nothing was written/);
      assert.deepEqual(fs.readdirSync(target), ['next.csr.pem']);
      assert.equal(fs.readFileSync(path.join(target, 'next.csr.pem'), 'utf8'), 'kept\n');
    });

    it('exits 2 for an unknown type, a missing --out and a bad host, writing nothing', async function () {
      const before = fs.readdirSync(dir).sort();
      const cases: Array<[string[], RegExp]> = [
        [['--type', 'dsa', '--out', 'cli-bad'], /--type must be one of ec-p256\|.*not 'dsa'/],
        [['--host', 'api.example.com'], /missing --out/],
        [['--out', 'cli-bad', '--host', 'api example.com'], /--host 'api example\.com' is not a host name/],
        [['--out', 'cli-bad', '--name', 'a/b'], /--name 'a\/b' cannot be a file name/],
        [['cli-bad'], /unexpected argument 'cli-bad'/],
      ];
      for (const [args, message] of cases) {
        const run = await cli(['backup-key', ...args], dir);
        assert.equal(run.code, 2, args.join(' '));
        assert.equal(run.stdout, '');
        assert.match(run.stderr, message);
        assert.match(run.stderr, /Run 'pinning-audit backup-key --help' for usage\.\n$/);
      }
      assert.deepEqual(fs.readdirSync(dir).sort(), before);
    });

    it('prints its help, and is listed in the general help', async function () {
      const help = await cli(['backup-key', '--help'], dir);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /^Usage: pinning-audit backup-key --out DIR/);
      assert.match((await cli(['--help'], dir)).stdout, /\n {2}backup-key --out DIR/);
    });
  });
});
