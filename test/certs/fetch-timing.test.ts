// Measures, does not assert: fetchChain against `openssl s_client` on the same s_server.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fetchChain } from '../../common/certs/fetch-chain';
import { makeTempDir, makeTestPki, requireOpenssl, startOpensslServer, type RunningServer, type TestPki } from './openssl';

const RUNS = 10;

describe('certs: fetchChain timing next to openssl s_client', function () {
  let pki: TestPki;
  let server: RunningServer;

  before(async function () {
    this.timeout(60_000);
    requireOpenssl();
    pki = await makeTestPki(makeTempDir('timing'));
    server = await startOpensslServer({ cert: pki.leaf.cert, key: pki.leaf.key, chainFile: pki.chainFile });
  });

  after(async function () {
    await server?.stop();
    if (pki) fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  it(`logs the median of ${RUNS} runs each`, async function () {
    this.timeout(120_000);
    const fetchModule = path.resolve(__dirname, '../../common/certs/fetch-chain.js');
    const nodeScript = `require(${JSON.stringify(fetchModule)}).fetchChain({host:'127.0.0.1',port:${server.port}}).then(r=>{if(r.chain.length!==3)process.exit(3)})`;

    const inProcess = await median(async () => {
      const result = await fetchChain({ host: '127.0.0.1', port: server.port, timeoutMs: 5000 });
      assert.equal(result.chain.length, 3);
    });
    const nodeProcess = await median(() => runProcess(process.execPath, ['-e', nodeScript]));
    const sClient = await median(() => runProcess('openssl', ['s_client', '-connect', `127.0.0.1:${server.port}`]));

    const line = (label: string, ms: number): string => `      ${label.padEnd(44)} ${ms.toFixed(1)} ms`;
    console.log(`      median of ${RUNS} runs against s_server on loopback (chain of 3):`);
    console.log(line('fetchChain, in process', inProcess));
    console.log(line('node -e fetchChain (includes Node start-up)', nodeProcess));
    console.log(line('openssl s_client -connect … </dev/null', sClient));
  });
});

/** One warm-up run, then the median wall time of RUNS runs. */
async function median(run: () => Promise<void>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return (times[(RUNS - 1) >> 1] + times[RUNS >> 1]) / 2;
}

/** Runs a command with stdin from /dev/null; rejects unless it exits 0. */
function runProcess(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}
