/**
 * Network hygiene: no module but the certificate fetch may reach the network, the server and the
 * CLI scan open no connection at all (checked at run time), and the fetch sends no application
 * data and reads no more than the handshake.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { fetchChain } from '../../common/certs/fetch-chain';
import { fakeTimers, realDelay, turn, watch } from '../certs/fake-timers';
import { generateKey, makeTempDir, requireOpenssl, selfSignedCertificate } from '../certs/openssl';
import { CLI_BIN } from '../cli/workspace';
import { REPO_ROOT } from '../helpers/engine';
import { LspTestClient, uriOf } from '../protocol/lsp-client';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { ScanWorkspace } from '../../common/protocol';
import { sourceModules, importsOf, reachable, type SourceModule } from './source-imports';

/** The one module that may open a connection: the certificate fetch behind explicit commands. */
const FETCH_CHAIN = 'common/certs/fetch-chain.ts';
const NETWORK_MODULES = new Set(['net', 'tls', 'http', 'https', 'http2', 'dgram', 'dns', 'child_process', 'undici', 'node-fetch', 'axios', 'ws', 'got', '@vscode/extension-telemetry', 'applicationinsights']);
/** Runs local git commands (`config --get`, `rev-parse`, `diff`, `ls-files`): none of them contacts a remote. */
const GIT_PROVENANCE = 'server/src/cli/git.ts';
/** `node:net` exports a few pure functions that touch no socket. */
const PURE_NET_IMPORTS = new Set(['isIP', 'isIPv4', 'isIPv6']);
const NETWORK_GLOBALS = [/\bfetch\s*\(/, /\bnew\s+WebSocket\b/, /\bXMLHttpRequest\b/, /\bsendBeacon\b/, /\bcreateTelemetryLogger\b/, /\benv\.telemetry/];

const PRELOAD = path.resolve(__dirname, 'preload', 'record-network.js');
const EXAMPLES = path.join(REPO_ROOT, 'examples');

function logAttempts(logFile: string): string[] {
  return fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : [];
}

describe('reliability: network hygiene', function () {
  this.timeout(60_000);
  let modules: Map<string, SourceModule>;

  before(() => {
    modules = sourceModules(REPO_ROOT, ['client/src', 'server/src', 'common']);
    assert.ok(modules.has(FETCH_CHAIN) && modules.size > 50, `read ${modules.size} modules`);
  });

  it(`only ${FETCH_CHAIN} imports a network module (${GIT_PROVENANCE} runs local git), and no source calls fetch, WebSocket or telemetry`, function () {
    const offenders: string[] = [];
    for (const module of modules.values()) {
      for (const imported of importsOf(module)) {
        const name = imported.specifier.replace(/^node:/, '');
        if (!NETWORK_MODULES.has(name) || imported.typeOnly) continue;
        if (name === 'net' && imported.names && imported.names.every((n) => PURE_NET_IMPORTS.has(n))) continue;
        if (module.path === FETCH_CHAIN && (name === 'tls' || name === 'net')) continue;
        if (module.path === GIT_PROVENANCE && name === 'child_process') continue;
        offenders.push(`${module.path} imports ${imported.specifier}${imported.names ? ` { ${imported.names.join(', ')} }` : ''}`);
      }
      for (const pattern of NETWORK_GLOBALS) if (pattern.test(module.code)) offenders.push(`${module.path} uses ${pattern.source}`);
    }
    assert.deepEqual(offenders, []);
  });

  it('the server cannot reach the certificate fetch; the extension and the CLI reach it only through a command\'s dynamic import', function () {
    const serverReach = reachable(modules, 'server/src/lsp/main.ts', { dynamic: true });
    assert.ok(serverReach.has('server/src/engine/analyze.ts'), 'the import graph is followed');
    assert.equal(serverReach.has(FETCH_CHAIN), false, 'the language server never fetches certificates');
    for (const entry of ['client/src/extension.ts', 'server/src/cli/main.ts']) {
      assert.equal(reachable(modules, entry, { dynamic: false }).has(FETCH_CHAIN), false, `${entry} loads the fetch only on a command`);
      assert.equal(reachable(modules, entry, { dynamic: true }).has(FETCH_CHAIN), true, `${entry} does offer the fetch`);
    }
  });

  describe('at run time (a preload records DNS, TCP, TLS, HTTP, UDP and fetch calls)', function () {
    let dir: string;
    let logFile: string;

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-network-'));
      logFile = path.join(dir, 'network.log');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('the recorder sees a connection when there is one', function () {
      const script = "require('node:net').createServer().listen(0, '127.0.0.1', function () { const s = require('node:net').connect(this.address().port, '127.0.0.1', () => { s.destroy(); this.close(); }); });";
      const run = spawnSync(process.execPath, ['--require', PRELOAD, '-e', script], { env: { ...process.env, NETWORK_LOG: logFile }, encoding: 'utf8', timeout: 20_000 });
      assert.equal(run.status, 0, run.stderr);
      assert.ok(logAttempts(logFile).some((line) => line.includes('"net.Socket.connect"')), logAttempts(logFile).join('\n'));
    });

    it('the server opens no connection while it opens, scans and audits examples/', async function () {
      const client = new LspTestClient({ execArgv: ['--require', PRELOAD], env: { ...process.env, NETWORK_LOG: logFile } });
      try {
        await client.initialize(EXAMPLES);
        await client.waitFor('the background scan to end', () => client.progress.some((p) => p.kind === 'end'));
        const file = path.join(EXAMPLES, 'node_service', 'src', 'http.ts');
        await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
          textDocument: { uri: uriOf(file), languageId: 'typescript', version: 1, text: fs.readFileSync(file, 'utf8') },
        });
        await client.waitForDiagnostics(uriOf(file), 'the opened example audited', (p) => p.version === 1 && p.diagnostics.length > 0);
        const result = await client.connection.sendRequest(ScanWorkspace.type, {});
        assert.ok(result.findings > 0);
      } finally {
        await client.stop();
      }
      assert.deepEqual(logAttempts(logFile), []);
    });

    it('the CLI opens no connection while it scans examples/', function () {
      const run = spawnSync(process.execPath, ['--require', PRELOAD, CLI_BIN, 'scan', EXAMPLES, '--format', 'json', '--fail-on', 'none'], {
        env: { ...process.env, NETWORK_LOG: logFile },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(run.status, 0, run.stderr);
      assert.ok((JSON.parse(run.stdout) as { summary: { findings: number } }).summary.findings > 0);
      assert.deepEqual(logAttempts(logFile), []);
    });
  });

  describe('fetchChain against a server that streams data right after the handshake', function () {
    let certDir: string;
    let server: tls.Server;
    let port: number;
    type Connection = { receivedAfterHandshake: number; written: number; closed: Promise<void> };
    let onConnection: (connection: Connection) => void = () => {};

    before(async function () {
      requireOpenssl();
      certDir = makeTempDir('network');
      const key = await generateKey(certDir, 'server', 'EC P-256');
      const cert = selfSignedCertificate(certDir, 'server', key, 'localhost');
      // Half-open allowed: the server keeps sending after the client's FIN, as a hostile one would.
      server = tls.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert), allowHalfOpen: true }, (socket) => {
        const connection: Connection = { receivedAfterHandshake: 0, written: 0, closed: new Promise<void>((resolve) => socket.once('close', () => resolve())) };
        onConnection(connection);
        socket.on('data', (chunk: Buffer) => (connection.receivedAfterHandshake += chunk.length));
        socket.on('error', () => {});
        // Writes until the client goes away: only a write notices a peer that closed without reading.
        const block = Buffer.alloc(64 * 1024, 0x41);
        const pump = () => {
          while (!socket.destroyed) {
            connection.written += block.length;
            if (!socket.write(block)) return void socket.once('drain', pump);
          }
        };
        pump();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });

    after(async () => {
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
    });

    it('resolves at the handshake, sends nothing, stops reading and closes when its grace second is over', async function () {
      const accepted = new Promise<Connection>((resolve) => (onConnection = resolve));
      // The server never closes its side: the client's grace timer, on a clock the test moves, must.
      const clock = fakeTimers();
      try {
        const result = await fetchChain({ host: '127.0.0.1', port, timeoutMs: 5000 });
        assert.equal(result.chain.length, 1);
        const connection = await accepted;
        const closed = watch(connection.closed);
        // A real second, as long as the grace: the time a client that kept reading would have.
        await realDelay(1000);
        clock.tick(999);
        await turn();
        assert.equal(closed.state(), 'pending', 'closed before the grace second was over');
        clock.tick(1);
        await connection.closed;
        assert.equal(connection.receivedAfterHandshake, 0, 'application data from the client');
        // Unread data stays in socket buffers (a few MB on loopback); a client draining it for a second takes in hundreds.
        assert.ok(connection.written < 32 * 1024 * 1024, `the server got ${Math.round(connection.written / 1048576)} MB out before the close`);
      } finally {
        clock.restore();
      }
    });
  });
});
