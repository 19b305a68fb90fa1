/**
 * FrameRepairStream (server/src/lsp/frame-repair.ts): whatever bad frames sit between good ones,
 * and however the bytes are split into chunks, every good message comes out whole, in order.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { FrameRepairStream } from '../../server/src/lsp/frame-repair';
import { runs } from './long-run';

type Item = { kind: 'good'; body: string } | { kind: 'noLength' | 'badLength' | 'short' | 'long' | 'garbage'; body: string; extra: number };

const frame = (body: string, length = Buffer.byteLength(body)) => `Content-Length: ${length}\r\n\r\n${body}`;

function bytesOf(item: Item): string {
  switch (item.kind) {
    case 'good':
      return frame(item.body);
    case 'noLength':
      return `Content-Type: application/vscode-jsonrpc\r\n\r\n${item.body}`;
    case 'badLength':
      return `Content-Length: ${item.extra}x\r\n\r\n${item.body}`;
    case 'short':
      return frame(item.body, Math.max(0, Buffer.byteLength(item.body) - 1 - (item.extra % Buffer.byteLength(item.body))));
    case 'long':
      return frame(item.body, Buffer.byteLength(item.body) + 1 + item.extra);
    case 'garbage':
      return item.body;
  }
}

/** Strict framing, as vscode-jsonrpc reads it: the bodies of the frames in `bytes`. */
function bodiesIn(bytes: Buffer): string[] {
  const bodies: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at);
    assert.ok(end >= 0, `unterminated header at ${at}`);
    const m = /^Content-Length: (\d+)$/i.exec(bytes.subarray(at, end).toString('latin1'));
    assert.ok(m, `bad header ${JSON.stringify(bytes.subarray(at, end).toString('latin1'))}`);
    bodies.push(bytes.subarray(end + 4, end + 4 + Number(m[1])).toString('utf8'));
    at = end + 4 + Number(m[1]);
  }
  return bodies;
}

function repair(chunks: Buffer[]): Promise<{ output: Buffer; drops: string[] }> {
  return new Promise((resolve, reject) => {
    const drops: string[] = [];
    const stream = new FrameRepairStream((reason) => drops.push(reason));
    const out: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => out.push(chunk));
    stream.on('end', () => resolve({ output: Buffer.concat(out), drops }));
    stream.on('error', reject);
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
}

const json = fc.jsonValue({ maxDepth: 2 }).map((params) => JSON.stringify({ jsonrpc: '2.0', method: 'x/y', params }));
// Garbage never holds a header of its own (that would be a frame, not garbage).
const garbage = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((s) => !/content-length/i.test(s));
const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 4, arbitrary: json.map((body) => ({ kind: 'good' as const, body })) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constantFrom('noLength' as const, 'badLength' as const, 'short' as const, 'long' as const), body: json, extra: fc.nat(200) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), body: garbage, extra: fc.constant(0) }) },
);

describe('reliability: LSP frame repair', function () {
  it('passes well-framed messages through unchanged, however they are chunked', async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(json, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), async (bodies, cuts) => {
        const bytes = Buffer.from(bodies.map((b) => frame(b)).join(''));
        const { output, drops } = await repair(split(bytes, cuts));
        assert.deepEqual(output, bytes);
        assert.deepEqual(drops, []);
      }),
      { seed: 5, numRuns: runs(200, 20_000) },
    );
  });

  it('keeps every good message, in order, whatever bad frames and garbage come between', async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 10 }), async (items, cuts) => {
        const bytes = Buffer.from(items.map(bytesOf).join(''));
        const { output } = await repair(split(bytes, cuts));
        const good = items.filter((i) => i.kind === 'good').map((i) => i.body);
        const bodies = bodiesIn(output);
        // The good bodies are a subsequence of what comes out (bad frames may pass through, to be rejected as JSON).
        let next = 0;
        for (const body of bodies) if (body === good[next]) next++;
        assert.equal(next, good.length, `kept ${next} of ${good.length} good messages`);
      }),
      { seed: 6, numRuns: runs(300, 30_000) },
    );
  });
});

function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks.filter((c) => c.length > 0);
}
