import fc from 'fast-check';
import type { GrammarId } from '../../../server/src/engine/languages';
import { applyMutations, type Mutation } from './mutations';
import { seedSources } from './seed-sources';

const GRAMMARS: readonly GrammarId[] = ['dart', 'swift', 'typescript', 'tsx', 'javascript', 'xml'];

/** One fuzz input, as data: `materialize` turns it into the text the engine gets. */
export type FuzzCase =
  | { kind: 'mutated'; seed: string; grammar: GrammarId; relativePath: string; mutations: Mutation[] }
  /** Arbitrary UTF-16 text, lone surrogates and control characters included. */
  | { kind: 'random'; grammar: GrammarId; relativePath: string; text: string }
  /** Words from pinning code in random order: near-code that reaches deep into the rules. */
  | { kind: 'tokenSoup'; grammar: GrammarId; relativePath: string; tokens: string[] };

export interface FuzzSource {
  grammar: GrammarId;
  relativePath: string;
  text: string;
  /** For a mutated case: the seed text it started from. */
  original?: string;
}

/** Words the rules look for, plus the punctuation that joins them. */
const VOCABULARY = [
  'badCertificateCallback', 'HttpClient', 'SecurityContext', 'withTrustedRoots', 'false', 'true', '=>', 'return',
  'sha256', 'sha1', 'sha256/', "'sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='", 'cert', 'der', 'host', 'port',
  'rejectUnauthorized', 'checkServerIdentity', 'https', 'tls', 'Agent', 'new', 'createHash', 'digest', 'pubkey', 'raw',
  'fingerprint256', 'SecTrustEvaluateWithError', 'SecCertificateCopyData', 'SecKeyCopyExternalRepresentation',
  'completionHandler', '.useCredential', '.performDefaultHandling', 'URLCredential', 'serverTrust', 'PinnedCertificatesTrustEvaluator',
  'ServerTrustManager', 'DisabledTrustEvaluator', 'Dio', 'IOHttpClientAdapter', 'createHttpClient', 'validateCertificate',
  'if', 'else', 'kDebugMode', '#if', 'DEBUG', '#endif', 'func', 'let', 'var', 'final', 'const', 'class', 'function',
  'pins', 'contains', 'includes', '==', '===', '||', '&&', '!', '.', ',', ';', ':', '?', '(', ')', '{', '}', '[', ']',
  '"', "'", '`', '${', '\\(', '//', '/*', '*/', '\n', '\r\n', ' ', '\t', 'x', '0', '42',
  '// pinning-audit-ignore-next-line', '// pinning-audit-ignore-file', '--',
  '<network-security-config>', '</network-security-config>', '<domain-config>', '</domain-config>', '<domain>', '</domain>',
  '<pin-set expiration="2020-01-01">', '</pin-set>', '<pin digest="SHA-256">', '</pin>', '<certificates src="user"/>',
  '<trust-anchors>', '</trust-anchors>', 'overridePins="true"', '<debug-overrides>', '<plist>', '<dict>', '</dict>', '<key>',
  '</key>', '<array>', '</array>', '<string>', '</string>', '<false/>', 'NSPinnedDomains', 'TSKPinnedDomains',
  'TSKEnforcePinning', 'TSKExpirationDate', 'SPKI-SHA256-BASE64', '<!--', '-->', '&amp;', '&lt;', '<![CDATA[', ']]>',
];

const BRACKETS = ['(', ')', '{', '}', '[', ']', '<', '>', '"', "'", '`', '"""', "'''", '/*', '*/', '//', '${', '\\(', '#if', '#endif', '=>', '\\', '$'];

const NESTINGS: readonly [string, string][] = [
  ['(', ')'], ['[', ']'], ['{', '}'], ['<', '>'], ['f(', ')'], ['a.b(', ')'], ['[[', ']]'], ['"${', '}"'], ['if (x) {', '}'], ['(a) => ', ''],
];

const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const insertedText = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...BRACKETS), { minLength: 1, maxLength: 20 }).map((a) => a.join('')) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 8 }).map((n) => '\u0000'.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ unit: utf16Unit, minLength: 1, maxLength: 20 }) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 12 }).map((a) => a.join(' ')) },
);

/** A position as a fraction of the text; whole millionths, since fc.double favours values near 0. */
const at = fc.integer({ min: 0, max: 999_999 }).map((n) => n / 1_000_000);

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('deleteToken' as const), at }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('duplicateToken' as const), at, times: fc.integer({ min: 1, max: 50 }) }) },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, text: insertedText }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('hugeLiteral' as const),
      at,
      quote: fc.constantFrom('"', "'", '`', '"""', "r'", ''),
      kb: fc.oneof(fc.constant(100), fc.integer({ min: 1, max: 20 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hugePinList' as const), at, pins: fc.integer({ min: 2, max: 3000 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deepNesting' as const),
      at,
      pair: fc.constantFrom(...NESTINGS),
      depth: fc.integer({ min: 100, max: 5000 }),
      balanced: fc.boolean(),
    }).map(({ pair, ...rest }) => ({ ...rest, open: pair[0], close: pair[1] })),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('invalidUtf8' as const), at, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('lineEndings' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bom' as const) }) },
);

/** Mostly the file's own name (test-file rules depend on it), sometimes another. */
function pathFor(seedName: string): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(seedName) }, { weight: 1, arbitrary: fc.constantFrom('lib/main.dart', 'Sources/App.swift', 'src/tls.ts', 'test/x_test.dart', 'a.spec.tsx') });
}

/** Mostly the seed's own grammar; sometimes another language's grammar on the same text. */
function grammarFor(own: GrammarId): fc.Arbitrary<GrammarId> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(own) }, { weight: 1, arbitrary: fc.constantFrom(...GRAMMARS) });
}

export function fuzzCaseArbitrary(): fc.Arbitrary<FuzzCase> {
  const seeds = seedSources();
  const mutated = fc.constantFrom(...seeds).chain((seed) =>
    fc.record({
      kind: fc.constant('mutated' as const),
      seed: fc.constant(seed.name),
      grammar: grammarFor(seed.grammar),
      relativePath: pathFor(seed.name),
      mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }),
    }),
  );
  // A trigger word in the middle: without one the engine would not even parse the text.
  const randomText = fc.oneof(fc.string({ unit: utf16Unit, maxLength: 1000 }), fc.string({ unit: 'binary', maxLength: 1000 }));
  const random = fc.record({
    kind: fc.constant('random' as const),
    grammar: fc.constantFrom(...GRAMMARS),
    relativePath: fc.constant('random.txt'),
    text: fc.tuple(randomText, fc.constantFrom('rejectUnauthorized', 'badCertificateCallback', 'sha256', 'serverTrust', 'pins', 'network-security-config', 'TSKPinnedDomains'), randomText)
      .map((parts) => parts.join('')),
  });
  const tokenSoup = fc.record({
    kind: fc.constant('tokenSoup' as const),
    grammar: fc.constantFrom(...GRAMMARS),
    relativePath: fc.constantFrom('soup.dart', 'Soup.swift', 'soup.ts', 'soup_test.dart', 'res/xml/soup.xml', 'Info.plist'),
    tokens: fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 400 }),
  });
  return fc.oneof({ weight: 8, arbitrary: mutated }, { weight: 1, arbitrary: random }, { weight: 1, arbitrary: tokenSoup });
}

export function materialize(c: FuzzCase): FuzzSource {
  switch (c.kind) {
    case 'mutated': {
      const seed = seedSources().find((s) => s.name === c.seed);
      if (!seed) throw new Error(`unknown seed ${c.seed}`);
      return { grammar: c.grammar, relativePath: c.relativePath, text: applyMutations(seed.text, c.mutations), original: seed.text };
    }
    case 'random':
      return { grammar: c.grammar, relativePath: c.relativePath, text: c.text };
    case 'tokenSoup':
      return { grammar: c.grammar, relativePath: c.relativePath, text: c.tokens.join(' ') };
  }
}

/** A one-line description for failure reports; long texts are summarized, not printed. */
export function describeCase(c: FuzzCase): string {
  const short = (value: unknown) => {
    const s = JSON.stringify(value);
    return s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
  };
  return short(c);
}
