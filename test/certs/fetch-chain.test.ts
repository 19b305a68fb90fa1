import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as tls from 'node:tls';
import { roleOf } from '../../common/certs/certificate-info';
import { fetchChain } from '../../common/certs/fetch-chain';
import { oneLineError } from './assertions';
import { fakeTimers, turn, until, watch } from './fake-timers';
import { canBindIpv6Loopback, httpPeer, resettingPeer, silentPeer, startPeer, type LoopbackPeer } from './loopback-peers';
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

describe('certs: fetchChain against real loopback servers', function () {
  let pki: TestPki;
  let rootPem: string;
  let chainServer: RunningServer;
  const cleanups: Array<() => Promise<void> | void> = [];

  before(async function () {
    this.timeout(60_000);
    requireOpenssl();
    pki = await makeTestPki(makeTempDir('fetch'));
    rootPem = fs.readFileSync(pki.root.cert, 'utf8');
    chainServer = await startOpensslServer({ cert: pki.leaf.cert, key: pki.leaf.key, chainFile: pki.chainFile });
    cleanups.push(() => chainServer.stop());
  });

  after(async function () {
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  async function serve(cert: string, key: string, chainFile?: string, host?: string): Promise<RunningServer> {
    const server = await startOpensslServer({ host, cert, key, chainFile });
    cleanups.push(() => server.stop());
    return server;
  }

  async function peer(start: () => Promise<LoopbackPeer>): Promise<LoopbackPeer> {
    const started = await start();
    cleanups.push(() => started.close());
    return started;
  }

  it("returns the whole chain s_server sends, leaf first, with openssl's pins", async function () {
    const result = await fetchChain({ host: '127.0.0.1', port: chainServer.port, timeoutMs: 5000 });
    assert.equal(result.target, `127.0.0.1:${chainServer.port}`);
    const files = [pki.leaf.cert, pki.intermediate.cert, pki.root.cert];
    assert.deepEqual(result.chain.map((c) => c.spkiSha256), files.map(opensslSpkiPin));
    assert.deepEqual(result.chain.map((c) => c.certSha256), files.map(opensslCertSha256));
    assert.deepEqual(result.chain.map((c) => c.keyType), ['EC P-256', 'EC P-384', 'RSA 2048']);
    assert.deepEqual(result.chain.map((_, i) => roleOf(i, result.chain)), ['leaf', 'intermediate', 'root']);
    // Our root is in no trust store, so the chain is reported but not verified.
    assert.equal(result.verified, false);
    assert.match(result.verifyError ?? '', /self-signed certificate in certificate chain/);
    assert.equal(result.hostnameMatches, true);
    assert.ok(result.elapsedMs > 0);
  });

  it('verifies the chain when its root is given as an extra CA', async function () {
    const result = await fetchChain({ host: '127.0.0.1', port: chainServer.port, ca: [rootPem] });
    assert.equal(result.verified, true);
    assert.equal(result.verifyError, null);
    assert.equal(result.hostnameMatches, true);
  });

  it('checks the name given as servername: a mismatch fails verification with a reason', async function () {
    const result = await fetchChain({ host: '127.0.0.1', port: chainServer.port, servername: 'wrong.example', ca: [rootPem] });
    assert.equal(result.hostnameMatches, false);
    assert.equal(result.verified, false);
    assert.match(result.verifyError ?? '', /does not match certificate's altnames.*wrong\.example/);
    assert.doesNotMatch(result.verifyError ?? '', /\n/);
    const matching = await fetchChain({ host: '127.0.0.1', port: chainServer.port, servername: 'localhost', ca: [rootPem] });
    assert.equal(matching.verified, true);
  });

  it('reports an expired certificate as not verified, with the reason', async function () {
    const server = await serve(pki.expiredLeaf.cert, pki.expiredLeaf.key, pki.chainFile);
    const result = await fetchChain({ host: '127.0.0.1', port: server.port, ca: [rootPem], timeoutMs: 5000 });
    assert.equal(result.verified, false);
    assert.equal(result.verifyError, 'certificate has expired (CERT_HAS_EXPIRED)');
    assert.equal(result.chain[0].notAfter.toISOString(), '2020-02-01T00:00:00.000Z');
  });

  it('reports a self-signed certificate as not verified, with the reason', async function () {
    const server = await serve(pki.selfSigned.cert, pki.selfSigned.key);
    const result = await fetchChain({ host: '127.0.0.1', port: server.port, timeoutMs: 5000 });
    assert.equal(result.chain.length, 1);
    assert.equal(result.chain[0].spkiSha256, opensslSpkiPin(pki.selfSigned.cert));
    assert.equal(result.verified, false);
    assert.equal(result.verifyError, 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
  });

  it('reaches an IPv6 loopback server as [::1]:port', async function () {
    if (!(await canBindIpv6Loopback())) this.skip();
    const server = await serve(pki.leaf.cert, pki.leaf.key, pki.chainFile, '::1');
    const result = await fetchChain({ host: '::1', port: server.port, ca: [rootPem], timeoutMs: 5000 });
    assert.equal(result.target, `[::1]:${server.port}`);
    assert.equal(result.chain.length, 3);
    assert.equal(result.hostnameMatches, true); // IP:::1 is in the leaf's SANs
    assert.equal(result.verified, true);
  });

  describe('against a node:tls server that records what arrives', function () {
    let server: tls.Server;
    let port: number;
    const received: Buffer[] = [];
    const sniNames: string[] = [];
    let closed: Promise<void>;

    before(async function () {
      const options = { cert: fs.readFileSync(pki.leaf.cert), key: fs.readFileSync(pki.leaf.key) };
      server = tls.createServer({
        ...options,
        SNICallback: (name, callback) => {
          sniNames.push(name);
          callback(null, tls.createSecureContext(options));
        },
      });
      server.on('secureConnection', (socket) => {
        socket.on('data', (chunk: Buffer) => received.push(chunk));
        socket.on('error', () => {});
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });

    beforeEach(function () {
      received.length = 0;
      sniNames.length = 0;
      // The server side completes the handshake and then sees the connection close.
      closed = new Promise<void>((resolve) => server.once('secureConnection', (socket) => socket.once('close', () => resolve())));
    });

    after(async function () {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('sends no application data and closes right after the handshake', async function () {
      const result = await fetchChain({ host: '127.0.0.1', port, timeoutMs: 5000 });
      assert.equal(result.chain.length, 1);
      await closed;
      assert.equal(Buffer.concat(received).length, 0);
    });

    it('sends no SNI for an IP literal', async function () {
      await fetchChain({ host: '127.0.0.1', port, timeoutMs: 5000 });
      await closed;
      assert.deepEqual(sniNames, []);
    });

    it('sends the host name, or --servername, as SNI', async function () {
      await fetchChain({ host: 'localhost', port, timeoutMs: 5000 });
      await closed;
      assert.deepEqual(sniNames, ['localhost']);
      closed = new Promise<void>((resolve) => server.once('secureConnection', (socket) => socket.once('close', () => resolve())));
      await fetchChain({ host: '127.0.0.1', port, servername: 'api.example.test', timeoutMs: 5000 });
      await closed;
      assert.deepEqual(sniNames, ['localhost', 'api.example.test']);
    });
  });

  describe('failures end quickly with one line', function () {
    it('refused port', async function () {
      const port = await freePort('127.0.0.1');
      await assert.rejects(fetchChain({ host: '127.0.0.1', port, timeoutMs: 2000 }), oneLineError(new RegExp(`^connection refused by 127\\.0\\.0\\.1:${port}$`)));
    });

    it('peer that accepts and never answers: times out at the limit, not before', async function () {
      const silent = await peer(silentPeer);
      const clock = fakeTimers();
      try {
        const fetching = fetchChain({ host: '127.0.0.1', port: silent.port, timeoutMs: 300 });
        const fetch = watch(fetching);
        await until(() => silent.received() > 0); // connected: the ClientHello arrived
        clock.tick(299);
        await turn();
        assert.equal(fetch.state(), 'pending', 'ended before its limit');
        clock.tick(1);
        await turn();
        assert.equal(fetch.state(), 'rejected', 'still waiting past its limit');
        await assert.rejects(fetching, oneLineError(new RegExp(`^no TLS handshake from 127\\.0\\.0\\.1:${silent.port} within 300 ms$`)));
      } finally {
        clock.restore();
      }
    });

    it('peer that speaks HTTP instead of TLS', async function () {
      const http = await peer(httpPeer);
      await assert.rejects(
        fetchChain({ host: '127.0.0.1', port: http.port, timeoutMs: 3000 }),
        oneLineError(new RegExp(`^127\\.0\\.0\\.1:${http.port} did not answer with TLS \\(.+\\)$`)),
      );
    });

    it('peer that resets the connection mid-handshake', async function () {
      const resetting = await peer(resettingPeer);
      await assert.rejects(
        fetchChain({ host: '127.0.0.1', port: resetting.port, timeoutMs: 3000 }),
        oneLineError(new RegExp(`^connection reset by 127\\.0\\.0\\.1:${resetting.port} during the TLS handshake$`)),
      );
    });

    it('peer that closes after the ClientHello', async function () {
      const closing = await peer(() => startPeer((socket) => socket.once('data', () => socket.end())));
      await assert.rejects(
        fetchChain({ host: '127.0.0.1', port: closing.port, timeoutMs: 3000 }),
        oneLineError(/closed the connection during the TLS handshake$/),
      );
    });

    it('host name that does not resolve', async function () {
      // .invalid never resolves (RFC 6761); a resolver that cannot be reached ends in the timeout.
      await assert.rejects(
        fetchChain({ host: 'no-such-host.invalid', port: 443, timeoutMs: 3000 }),
        oneLineError(/^(cannot resolve host no-such-host\.invalid \(.+\)|no TCP connection to no-such-host\.invalid:443 within 3000 ms)$/),
      );
    });

    it('AbortSignal cancels a stalled handshake at once', async function () {
      const silent = await peer(silentPeer);
      const controller = new AbortController();
      // The clock stands still: only the abort can end the fetch.
      const clock = fakeTimers();
      try {
        const fetching = fetchChain({ host: '127.0.0.1', port: silent.port, timeoutMs: 10_000, signal: controller.signal });
        const fetch = watch(fetching);
        await until(() => silent.received() > 0);
        controller.abort();
        await turn();
        assert.equal(fetch.state(), 'rejected', 'the abort did not end the fetch at once');
        await assert.rejects(fetching, (error: unknown) => {
          assert.equal((error as Error).name, 'AbortError');
          return oneLineError(/^certificate fetch from 127\.0\.0\.1:\d+ was cancelled$/)(error);
        });
      } finally {
        clock.restore();
      }
    });

    it('an already aborted signal rejects without connecting', async function () {
      const silent = await peer(silentPeer);
      await assert.rejects(
        fetchChain({ host: '127.0.0.1', port: silent.port, signal: AbortSignal.abort() }),
        oneLineError(/was cancelled$/),
      );
      assert.equal(silent.connections(), 0);
    });
  });
});
