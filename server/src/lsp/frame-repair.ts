/**
 * The LSP base protocol frames each message with a `Content-Length` header. One bad frame — no
 * such header, a length that is no number, a length shorter or longer than the body — leaves
 * vscode-jsonrpc's reader out of step for good: the rest of one body is read as the next header,
 * which swallows the next body, and so on, so the server never answers again. This stream sits
 * between stdin and that reader and passes on only well-framed messages, each with a plain
 * `Content-Length` header: it drops a bad frame, says so, and resumes at the next header.
 *
 * A `Content-Length: N` line with its raw line break inside a body proves the body's declared
 * length wrong: outside strings that text is no JSON, and JSON strings hold no raw line breaks.
 */
import { Transform, type TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n');
const HEADER_NAME = /^content-length$/i;
/** A header line opening a later message, with its raw line break. */
const LATER_HEADER = /^Content-Length:[ \t]*\d+\r\n/i;
/** Buffered bytes with no header end in them are garbage beyond this size. */
const MAX_HEADER_BYTES = 8 * 1024;

export class FrameRepairStream extends Transform {
  private buffer: Buffer = Buffer.alloc(0);

  /** `onDrop` hears why bytes were dropped (for the log). */
  constructor(private readonly onDrop: (reason: string) => void = () => {}) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    this.drain();
    callback();
  }

  private drain(): void {
    for (;;) {
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) {
        if (this.buffer.length > MAX_HEADER_BYTES) this.skipToNextHeader(1, 'a header that does not end');
        return;
      }
      const length = contentLength(this.buffer.subarray(0, headerEnd).toString('latin1'));
      if (length === undefined) {
        if (!this.skipToNextHeader(1, 'a message header without a valid Content-Length')) return;
        continue;
      }
      const bodyStart = headerEnd + HEADER_END.length;
      const bodyEnd = bodyStart + length;
      const later = laterHeaderAt(this.buffer, bodyStart, bodyEnd);
      if (later >= 0) {
        // The declared length runs into the next message: drop this frame, keep the next.
        this.buffer = this.buffer.subarray(later);
        this.onDrop(`a message whose Content-Length (${length}) is longer than its body`);
        continue;
      }
      if (this.buffer.length < bodyEnd) return; // the body is still arriving
      if (!looksLikeJson(this.buffer.subarray(bodyStart, bodyEnd))) {
        // Cut short, or run into a next header that has not fully arrived: resume inside it.
        if (!this.skipToNextHeader(bodyStart, `a message whose Content-Length (${length}) does not fit its body`)) return;
        continue;
      }
      // Framed anew: the reader downstream takes header names exactly as written (no `\tContent-Length`).
      this.push(Buffer.concat([Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'latin1'), this.buffer.subarray(bodyStart, bodyEnd)]));
      this.buffer = this.buffer.subarray(bodyEnd);
    }
  }

  /** Drops everything before the next `Content-Length:` at or after `from`; false when none is buffered yet. */
  private skipToNextHeader(from: number, reason: string): boolean {
    const text = this.buffer.toString('latin1');
    const next = text.slice(from).search(/Content-Length:/i);
    this.onDrop(reason);
    if (next < 0) {
      // Keep a tail that may be the start of a header split across chunks.
      this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - 'Content-Length:'.length));
      return false;
    }
    this.buffer = this.buffer.subarray(from + next);
    return true;
  }
}

function contentLength(header: string): number | undefined {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) return undefined;
    if (!HEADER_NAME.test(line.slice(0, colon).trim())) continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) return undefined;
    length = Number(value);
  }
  return length;
}

/** Where a later message's header starts between `from` and `before` (it may end past `before`); -1 if nowhere. */
function laterHeaderAt(buffer: Buffer, from: number, before: number): number {
  let found = -1;
  for (const name of ['Content-Length', 'content-length', 'CONTENT-LENGTH']) {
    for (let at = buffer.indexOf(name, from); at >= 0 && at < before && (found < 0 || at < found); at = buffer.indexOf(name, at + 1)) {
      if (LATER_HEADER.test(buffer.subarray(at, at + 64).toString('latin1'))) {
        found = at;
        break;
      }
    }
  }
  return found;
}

/** A JSON-RPC body is an object (or a batch): anything else was cut or overran. */
function looksLikeJson(body: Buffer): boolean {
  const isSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
  let first = 0;
  while (first < body.length && isSpace(body[first])) first++;
  let last = body.length - 1;
  while (last > first && isSpace(body[last])) last--;
  return (body[first] === 0x7b || body[first] === 0x5b) && (body[last] === 0x7d || body[last] === 0x5d); // { [ ... } ]
}
