// Test helpers that make real keys and certificates with the `openssl` CLI in a temp folder and
// run `openssl s_server` on loopback. Nothing here is checked in: every run makes its own.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** `openssl genpkey` arguments for each key type the audit names, keyed by that name. */
export const KEY_ALGORITHMS: Record<string, string[]> = {
  'RSA 2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'RSA 3072': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
  'RSA 4096': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  'EC P-256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'EC P-384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  'EC P-521': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  Ed25519: ['-algorithm', 'ED25519'],
  Ed448: ['-algorithm', 'ED448'],
};

/** Fails the calling hook with a clear message when the openssl CLI is not installed. */
export function requireOpenssl(): void {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('these tests need the openssl CLI (Debian: apt-get install -y openssl)');
  }
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pinning-audit-${prefix}-`));
}

/** Runs openssl synchronously with optional stdin; throws with its stderr when it fails. */
export function openssl(args: string[], input?: Buffer | string, cwd?: string): Buffer {
  const run = spawnSync('openssl', args, { input, cwd, maxBuffer: 16 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr.toString().trim()}`);
  return run.stdout;
}

/** Generates a private key; async so that slow RSA keys can be made side by side. */
export async function generateKey(dir: string, name: string, keyType: string): Promise<string> {
  const keyFile = path.join(dir, `${name}.key`);
  await execFileAsync('openssl', ['genpkey', ...KEY_ALGORITHMS[keyType], '-out', keyFile]);
  return keyFile;
}

/** A self-signed certificate for `keyFile`, with a DNS and an IP subject alternative name. */
export function selfSignedCertificate(dir: string, name: string, keyFile: string, commonName = name): string {
  const certFile = path.join(dir, `${name}.pem`);
  openssl([
    'req', '-x509', '-new', '-key', keyFile, '-subj', `/CN=${commonName}`, '-days', '30',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-out', certFile,
  ]);
  return certFile;
}

/** The pin the way HPKP documents it: openssl x509 -pubkey | pkey -pubin -outform der | dgst | base64. */
export function opensslSpkiPin(certFile: string): string {
  const publicKeyPem = openssl(['x509', '-in', certFile, '-pubkey', '-noout']);
  const spkiDer = openssl(['pkey', '-pubin', '-outform', 'der'], publicKeyPem);
  const digest = openssl(['dgst', '-sha256', '-binary'], spkiDer);
  return openssl(['enc', '-base64'], digest).toString().trim();
}

/** Hex SHA-256 of the DER certificate, from openssl's fingerprint. */
export function opensslCertSha256(certFile: string): string {
  const line = openssl(['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256']).toString();
  return line.split('=')[1].trim().replace(/:/g, '').toLowerCase();
}

export interface CertAndKey {
  cert: string;
  key: string;
}

/** root → intermediate → leaf (plus an expired leaf and a self-signed one) in `dir`. */
export interface TestPki {
  dir: string;
  root: CertAndKey;
  intermediate: CertAndKey;
  leaf: CertAndKey;
  /** Intermediate then root, PEM: what s_server sends after the leaf. */
  chainFile: string;
  /** Same key and names as `leaf`, valid only in January 2020. */
  expiredLeaf: CertAndKey;
  selfSigned: CertAndKey;
}

const LEAF_EXTENSIONS = 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n';
const CA_EXTENSIONS = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';

/** Key types differ per level so one chain covers RSA and two EC curves. */
export async function makeTestPki(dir: string): Promise<TestPki> {
  const [rootKey, intermediateKey, leafKey, selfSignedKey] = await Promise.all([
    generateKey(dir, 'root', 'RSA 2048'),
    generateKey(dir, 'intermediate', 'EC P-384'),
    generateKey(dir, 'leaf', 'EC P-256'),
    generateKey(dir, 'self-signed', 'EC P-256'),
  ]);
  const file = (name: string): string => path.join(dir, name);
  fs.writeFileSync(file('ca.ext'), CA_EXTENSIONS);
  fs.writeFileSync(file('leaf.ext'), LEAF_EXTENSIONS);

  openssl(['req', '-x509', '-new', '-key', rootKey, '-subj', '/CN=Pinning Audit Test Root', '-days', '30',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', file('root.pem')]);
  issue(dir, 'intermediate', intermediateKey, '/CN=Pinning Audit Test Intermediate', { cert: file('root.pem'), key: rootKey }, 'ca.ext');
  issue(dir, 'leaf', leafKey, '/CN=localhost', { cert: file('intermediate.pem'), key: intermediateKey }, 'leaf.ext');
  fs.writeFileSync(file('chain.pem'), fs.readFileSync(file('intermediate.pem'), 'utf8') + fs.readFileSync(file('root.pem'), 'utf8'));

  // OpenSSL 3.0's `x509 -req` cannot set a past start date; `openssl ca -startdate/-enddate` can.
  fs.mkdirSync(file('ca-db'));
  fs.writeFileSync(file('ca-db/index.txt'), '');
  fs.writeFileSync(file('ca-db/serial'), '1000\n');
  fs.writeFileSync(file('ca.cnf'), [
    '[ca]', 'default_ca = test_ca', '[test_ca]', 'dir = ./ca-db', 'database = $dir/index.txt',
    'new_certs_dir = $dir', 'serial = $dir/serial', 'default_md = sha256', 'policy = any_name',
    'unique_subject = no', '[any_name]', 'commonName = supplied', '',
  ].join('\n'));
  openssl(['ca', '-config', 'ca.cnf', '-batch', '-notext', '-cert', 'intermediate.pem', '-keyfile', intermediateKey,
    '-in', 'leaf.csr', '-out', 'expired-leaf.pem', '-startdate', '20200101000000Z', '-enddate', '20200201000000Z',
    '-extfile', 'leaf.ext'], undefined, dir);

  return {
    dir,
    root: { cert: file('root.pem'), key: rootKey },
    intermediate: { cert: file('intermediate.pem'), key: intermediateKey },
    leaf: { cert: file('leaf.pem'), key: leafKey },
    chainFile: file('chain.pem'),
    expiredLeaf: { cert: file('expired-leaf.pem'), key: leafKey },
    selfSigned: { cert: selfSignedCertificate(dir, 'self-signed', selfSignedKey, 'localhost'), key: selfSignedKey },
  };
}

function issue(dir: string, name: string, keyFile: string, subject: string, issuer: CertAndKey, extensionsFile: string): void {
  const csr = path.join(dir, `${name}.csr`);
  openssl(['req', '-new', '-key', keyFile, '-subj', subject, '-out', csr]);
  openssl(['x509', '-req', '-in', csr, '-CA', issuer.cert, '-CAkey', issuer.key, '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-days', '30', '-extfile', path.join(dir, extensionsFile), '-out', path.join(dir, `${name}.pem`)]);
}

/** A free TCP port on `host`, found by binding port 0. */
export async function freePort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** `openssl s_server -www` on `host`, ready to accept when this resolves. */
export async function startOpensslServer(options: { host?: string; cert: string; key: string; chainFile?: string }): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host);
  const accept = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
  const args = ['s_server', '-accept', accept, '-cert', options.cert, '-key', options.key, '-www', '-quiet'];
  if (options.chainFile) args.push('-cert_chain', options.chainFile);
  // Own process group, so stop() ends s_server and anything it started.
  const child = spawn('openssl', args, { detached: true, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await exited;
  };
  try {
    await waitForListening(host, port, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, port, stop };
}

/** Polls TCP connects until the port accepts; fails early if the server process exits. */
async function waitForListening(host: string, port: number, child: ChildProcess, stderr: () => string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`s_server exited with ${child.exitCode}: ${stderr().trim()}`);
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return;
    await new Promise((resolve) => setTimeout(resolve, 20)); // poll interval, not a wait for readiness
  }
  throw new Error(`s_server did not listen on ${host}:${port} within ${limitMs} ms: ${stderr().trim()}`);
}
