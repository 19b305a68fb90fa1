/**
 * Mutations of source text, as plain data: a failing case prints as something a person can
 * replay. Positions are fractions of the text (0 ≤ at < 1) so a mutation applies to any text.
 */
export type Mutation =
  | { kind: 'deleteToken'; at: number }
  | { kind: 'duplicateToken'; at: number; times: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'hugeLiteral'; at: number; quote: string; kb: number }
  | { kind: 'hugePinList'; at: number; pins: number }
  | { kind: 'deepNesting'; at: number; open: string; close: string; depth: number; balanced: boolean }
  | { kind: 'invalidUtf8'; at: number; bytes: number[] }
  | { kind: 'lineEndings'; style: 'crlf' | 'cr' | 'mixed' }
  | { kind: 'bom' };

/** Words, runs of space and single other characters: what "a token" means to the mutations. */
const TOKEN = /[A-Za-z0-9_$]+|\s+|[^A-Za-z0-9_$\s]/gu;

function tokens(text: string): { start: number; end: number }[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

function offsetOf(text: string, at: number): number {
  return Math.min(text.length, Math.floor(at * (text.length + 1)));
}

function insertAt(text: string, at: number, inserted: string): string {
  const offset = offsetOf(text, at);
  return text.slice(0, offset) + inserted + text.slice(offset);
}

/** A syntactically plausible pin; varied so pin-set rules see distinct values. */
function pinLike(i: number): string {
  const body = Buffer.alloc(32, i % 256);
  body.writeUInt32BE(i, 0);
  return `sha256/${body.toString('base64')}`;
}

export function applyMutation(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'deleteToken':
    case 'duplicateToken': {
      const all = tokens(text);
      if (all.length === 0) return text;
      const t = all[Math.min(all.length - 1, Math.floor(m.at * all.length))];
      const token = text.slice(t.start, t.end);
      const replacement = m.kind === 'deleteToken' ? '' : token.repeat(m.times + 1);
      return text.slice(0, t.start) + replacement + text.slice(t.end);
    }
    case 'insert':
      return insertAt(text, m.at, m.text);
    case 'truncate':
      return text.slice(0, offsetOf(text, m.at));
    case 'hugeLiteral':
      return insertAt(text, m.at, `${m.quote}${'A1b2/+='.repeat(Math.ceil((m.kb * 1024) / 7)).slice(0, m.kb * 1024)}${m.quote}`);
    case 'hugePinList': {
      const list = Array.from({ length: m.pins }, (_, i) => `'${pinLike(i)}'`).join(', ');
      return insertAt(text, m.at, `\nconst pins = [${list}];\n`);
    }
    case 'deepNesting':
      return insertAt(text, m.at, m.open.repeat(m.depth) + 'x' + (m.balanced ? m.close.repeat(m.depth) : ''));
    case 'invalidUtf8':
      // What a reader gets from a file that is not UTF-8: every bad sequence becomes U+FFFD.
      return insertAt(text, m.at, Buffer.from(m.bytes).toString('utf8'));
    case 'lineEndings': {
      const lines = text.split(/\r\n|\r|\n/);
      if (m.style === 'crlf') return lines.join('\r\n');
      if (m.style === 'cr') return lines.join('\r');
      return lines.map((line, i) => line + ['\n', '\r\n', '\r'][i % 3]).join('');
    }
    case 'bom':
      return `\uFEFF${text}`;
  }
}

export function applyMutations(text: string, mutations: readonly Mutation[]): string {
  return mutations.reduce(applyMutation, text);
}
