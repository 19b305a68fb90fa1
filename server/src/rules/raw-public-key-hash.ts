import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../engine/rule';
import type { SourceFile } from '../engine/source-file';
import { SWIFT_DIGEST_HELPER, swiftBindings, swiftDigest, swiftDigestSource, swiftLengthValue, swiftScope, swiftStrip, type SwiftDigest } from '../facts/digests';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftCalleeName, swiftMemberName } from '../facts/swift';
import { ancestors, descendants, descendantsAround, leavesMatching } from '../facts/tree';

export const rawPublicKeyHash = defineRule(
  {
    id: 'raw-public-key-hash',
    level: 'warning',
    security: { cwe: [295, 322], masvs: ['MASVS-NETWORK-2'], severity: 5.3, precision: 'high' },
    families: ['swift'],
    description: 'The raw key from SecKeyCopyExternalRepresentation is hashed without the ASN.1 SPKI header for its type and size: the hash matches no standard SPKI pin.',
    triggers: ['SecKeyCopyExternalRepresentation'],
    relaxedInDebugCode: true,
  },
  { swift: checkSwift },
);

/** What a value holds, as far as the key's bytes go. */
type Status =
  | { kind: 'key' }
  | { kind: 'headered'; header: Node }
  | { kind: 'empty' }
  | { kind: 'other'; node?: Node };

const OTHER: Status = { kind: 'other' };
/** A check of the key's type and size: the header can be chosen per key. */
const KEY_TYPE_CHECK = /^(SecKeyCopyAttributes|kSecAttrKeyType\w*|kSecAttrKeySizeInBits)$/;
/** A helper that picks the header for the key: `asn1Header(for: key)`, `key.spkiHeader()`. */
const HEADER_BUILDER = /(header|asn1|spki|prefix)/i;
const MAX_DEPTH = 2;
/** Calls that make the app's own key pair. */
const OWN_KEY = /^(SecKeyCreateRandomKey|SecKeyGeneratePair|SecKeyCopyPublicKey)$/;
/** Trust evaluation APIs, and names that speak of pins or SPKI headers. */
const TRUST_API = /^(SecTrust\w*|serverTrust|SecCertificateCopyKey|SecCertificateCopyPublicKey|URLAuthenticationChallenge|NSURLAuthenticationMethodServerTrust|ServerTrustEvaluating)$/;
/** `pin`, `pins`, `pinnedKeys`, `PublicKeyPinner`, `certificatePinning` — not `spinner`, `mapping`. */
const PIN_WORD = /(?:^|_)[pP]in(?:s|ned|ning|ner|Set)?(?:[A-Z_\d]|$)|[a-z\d]Pin(?:s|ned|ning|ner|Set)?(?:[A-Z_\d]|$)|(?:^|_)PIN(?:S|NED|NING)?(?:_|$)/;
const SPKI_WORD = /spki|asn1header|subjectpublickeyinfo/i;
/** Held by every name one of the three above matches: where to look for them without a walk of every name. */
const CONTEXT_NAME_PART = /pin|spki|asn1header|subjectpublickeyinfo|SecTrust|serverTrust|SecCertificateCopy|URLAuthenticationChallenge|NSURLAuthenticationMethodServerTrust|ServerTrustEvaluating/gi;

function checkSwift(context: RuleContext): void {
  const { file } = context;
  const exports = descendantsAround(file.root, file.text, ['call_expression'], ['SecKeyCopyExternalRepresentation']).filter(isKeyExport);
  const scopes = new Map<number, Node>();
  for (const call of exports) {
    const scope = swiftScope(call);
    scopes.set(scope.id, scope);
  }
  if (scopes.size === 0 || !hasPinningContext(file)) return;
  // The same-file functions of a name, looked up when key data is passed to one, and the
  // members of the file's extensions of Data that key data's own member of a name reaches.
  const functions = (name: string) => descendantsAround(file.root, file.text, ['function_declaration'], [name])
    .filter((f) => f.childForFieldName('name')?.text === name);
  const members = (name: string) => descendantsAround(file.root, file.text, ['function_declaration', 'property_declaration'], [name])
    .map((m) => dataExtensionMemberBody(m, name))
    .filter((body): body is Node => !!body);
  const sameFile: SameFile = { functions, members, hashes: new Map() };
  for (const scope of scopes.values()) {
    // The app's own key (a key ID, a signature payload) is no server key to pin.
    if (descendants(scope, 'simple_identifier').some((i) => OWN_KEY.test(i.text))) continue;
    analyzeScope(sameFile, scope, new Map(), false, 0, new Set());
  }
  for (const hash of sameFile.hashes.values()) reportHash(context, hash);
}

/**
 * Where key data handed on is followed (same-file functions, members of the file's extensions of
 * Data), and what each digest reached hashes.
 */
interface SameFile {
  functions: (name: string) => Node[];
  members: (name: string) => Node[];
  /**
   * Per digest call, by node id: the raw key, or a header for one key type before it. A digest
   * that two callers reach (a `Data.sha256` extension hashing one key with a header, another
   * without) is reported once, for the raw key when either hands it over.
   */
  hashes: Map<number, HashedKey>;
}

type HashedKey =
  | { digest: SwiftDigest; kind: 'raw' }
  | { digest: SwiftDigest; kind: 'headered'; header: Node }
  /** `keyData.description.sha256()`: the text Data or NSData prints about the key, hashed by a helper named for a digest. */
  | { digest: SwiftDigest; kind: 'description' };

function reportHash(context: RuleContext, hash: HashedKey): void {
  const { digest } = hash;
  if (hash.kind === 'description') {
    context.report(digest.call, `${digest.name} hashes the key data's description, the text Data or NSData prints about it, not its bytes: \`270 bytes\` for Data, and for NSData since iOS 13 its length and its first and last few bytes (\`{length = 270, bytes = 0x3082010a 02820101 … 0203 0001}\`). The result never equals an SPKI pin, and another key of the same size (for NSData, an RSA key made to share those bytes) matches it. Hash the key's bytes, with the ASN.1 SubjectPublicKeyInfo header for its type and size prepended.`, {
      level: 'error',
    });
    return;
  }
  if (hash.kind === 'raw') {
    context.report(digest.call, `${digest.name} hashes the raw key from SecKeyCopyExternalRepresentation with no ASN.1 SubjectPublicKeyInfo header: the result can never equal an SPKI pin made with openssl or a "sha256/…" pin, so the check fails for every server (or matches only pins made the same nonstandard way). Prepend the ASN.1 header for the key's type and size (SecKeyCopyAttributes: kSecAttrKeyType, kSecAttrKeySizeInBits) before hashing.`, {
      data: { fix: 'swift.prependSpkiHeader' },
    });
    return;
  }
  const header = hash.header.text.length <= 40 ? hash.header.text.replace(/\s+/g, ' ') : 'the ASN.1 header';
  context.report(digest.call, `${digest.name} hashes the key with ${header} prepended, an ASN.1 header that fits one key type and size, and the key's type and size are never checked: when the server's key is of another type or size (an EC P-256 key instead of RSA 2048, say) the hash is wrong and the pin check rejects the server. Choose the header from kSecAttrKeyType and kSecAttrKeySizeInBits (SecKeyCopyAttributes).`, {
    level: 'note',
    data: { fix: 'swift.prependSpkiHeader' },
  });
}

/** Types an exported key is used as, whose extensions' members hash `self` (`extension Data { var sha256: Data { … } }`). */
const KEY_DATA_TYPES = new Set(['Data', 'NSData', 'CFData']);

/**
 * The body of `member` when it is `name` in an extension of a Data type and takes no argument:
 * a computed property (`var sha256: Data { … }`) or a method without parameters (`func sha256() -> String`).
 */
function dataExtensionMemberBody(member: Node, name: string): Node | undefined {
  const extension = member.parent?.type === 'class_body' ? member.parent.parent : undefined;
  if (extension?.type !== 'class_declaration' || !extension.children.some((c) => c?.type === 'extension')) return undefined;
  const extended = extension.namedChildren.find((c) => c?.type === 'user_type')?.text.replace(/\s+/g, '');
  if (!extended || !KEY_DATA_TYPES.has(extended)) return undefined;
  if (member.type === 'function_declaration') {
    return member.childForFieldName('name')?.text === name && parameters(member).length === 0 ? member : undefined;
  }
  const pattern = member.namedChildren.find((c) => c?.type === 'pattern');
  if (pattern?.text !== name) return undefined;
  return member.namedChildren.find((c) => c?.type === 'computed_property') ?? undefined;
}

/**
 * Hashing an exported key is also how key IDs and thumbprints are made: only a file that
 * evaluates server trust or speaks of pins holds a pin check.
 */
function hasPinningContext(file: SourceFile): boolean {
  for (const name of leavesMatching(file.root, file.text, ['simple_identifier', 'type_identifier'], CONTEXT_NAME_PART)) {
    if (TRUST_API.test(name.text) || PIN_WORD.test(name.text) || SPKI_WORD.test(name.text)) return true;
  }
  return false;
}

function isKeyExport(call: Node): boolean {
  return call.namedChildren[0]?.type === 'simple_identifier' && swiftCalleeName(call) === 'SecKeyCopyExternalRepresentation';
}

/**
 * Walks `scope` in document order, tracking which variables hold the bare key, a header plus
 * the key, or something else (`self`, in an extension's member); records in `sameFile.hashes` the
 * digests of the bare key and of a single-type header plus key. Key data passed to a same-file
 * function, or reaching a member of a same-file extension of Data, is followed into it (two
 * levels deep).
 */
function analyzeScope(
  sameFile: SameFile,
  scope: Node,
  seeds: Map<string, Status>,
  callerChecksType: boolean,
  depth: number,
  visited: Set<number>,
): void {
  const vars = new Map<string, Status>(seeds);
  const checksType = callerChecksType || descendants(scope, 'simple_identifier').some((i) => KEY_TYPE_CHECK.test(i.text));

  const evaluate = (node: Node | undefined, d = 0): Status => {
    const n = swiftStrip(node);
    if (!n || d > 8) return OTHER;
    if (n.type === 'call_expression') {
      if (isKeyExport(n)) return { kind: 'key' };
      const callee = n.namedChildren[0]?.text.replace(/\s+/g, '');
      const args = swiftArguments(n);
      if ((callee === 'Data' || callee === '[UInt8]' || callee === 'NSMutableData') && (args.length === 0 || swiftArgumentLabel(args[0]) === 'capacity')) {
        return { kind: 'empty' };
      }
      return { kind: 'other', node: n };
    }
    if (n.type === 'simple_identifier') return vars.get(n.text) ?? { kind: 'other', node: n };
    if (n.type === 'self_expression') return vars.get('self') ?? { kind: 'other', node: n };
    if (n.type === 'array_literal' && n.namedChildCount === 0) return { kind: 'empty' };
    if (n.type === 'additive_expression' && n.children.find((c) => c && !c.isNamed)?.text === '+') {
      const lhsNode = n.childForFieldName('lhs') ?? undefined;
      const lhs = evaluate(lhsNode, d + 1);
      const rhs = evaluate(n.childForFieldName('rhs') ?? undefined, d + 1);
      return append(lhs.kind === 'other' ? { kind: 'other', node: lhs.node ?? lhsNode } : lhs, rhs);
    }
    return { kind: 'other', node: n };
  };

  const events = [
    ...swiftBindings(scope).map((b) => ({ at: b.value.startIndex, run: () => vars.set(b.name, evaluate(b.value)) })),
    ...descendants(scope, 'assignment').map((a) => ({ at: a.startIndex, run: () => assign(a) })),
    ...descendants(scope, 'call_expression').map((c) => ({ at: c.startIndex, run: () => call(c) })),
    ...memberReads(scope).map((n) => ({ at: n.startIndex, run: () => readMember(n) })),
  ].sort((a, b) => a.at - b.at);

  const assign = (assignment: Node) => {
    const target = swiftStrip(assignment.childForFieldName('target')?.namedChildren[0] ?? undefined);
    if (target?.type !== 'simple_identifier') return;
    const operator = assignment.children.find((c) => c && !c.isNamed)?.text;
    const value = evaluate(assignment.childForFieldName('result') ?? undefined);
    if (operator === '=') vars.set(target.text, value);
    else if (operator === '+=') vars.set(target.text, append(vars.get(target.text) ?? { kind: 'other', node: target }, value));
  };

  const call = (node: Node) => {
    const digest = swiftDigest(node);
    if (digest) return report(digest);
    const callee = node.namedChildren[0];
    const name = swiftCalleeName(node);
    const args = swiftArguments(node);
    // `d.insert(contentsOf: header, at: 0)`: the header goes before what `d` holds.
    if (callee?.type === 'navigation_expression' && name === 'insert' && args.length === 2 && swiftArgumentLabel(args[0]) === 'contentsOf' &&
      swiftArgumentLabel(args[1]) === 'at' && swiftArgumentValue(args[1])?.text === '0') {
      const target = swiftStrip(callee.childForFieldName('target') ?? undefined);
      if (target?.type === 'simple_identifier') {
        vars.set(target.text, append(evaluate(swiftArgumentValue(args[0])), vars.get(target.text) ?? { kind: 'other', node: target }));
      }
      return;
    }
    // `d.append(key)`, `d.append(contentsOf: key)`
    if (callee?.type === 'navigation_expression' && name === 'append' && args.length === 1) {
      const target = swiftStrip(callee.childForFieldName('target') ?? undefined);
      const label = swiftArgumentLabel(args[0]);
      if (target?.type === 'simple_identifier' && (label === undefined || label === 'contentsOf')) {
        vars.set(target.text, append(vars.get(target.text) ?? { kind: 'other', node: target }, evaluate(swiftArgumentValue(args[0]))));
      }
      return;
    }
    // `keyData.sha256()`, `keyData.description.sha256()`: read as the property would be (`followMember` keeps to MAX_DEPTH).
    if (callee?.type === 'navigation_expression' && args.length === 0) return readMember(callee);
    // Key data handed to a same-file function: follow it there.
    if (depth >= MAX_DEPTH || !name) return;
    // In such a member, another of the same extension called on `self` unnamed (`sha256().map { … }`).
    if (callee?.type === 'simple_identifier' && args.length === 0 && vars.has('self')) return followMember(name, vars.get('self')!);
    const local = callee?.type === 'simple_identifier' || (callee?.type === 'navigation_expression' && callee.childForFieldName('target')?.type === 'self_expression');
    if (!local) return;
    const statuses = args.map((a) => evaluate(swiftArgumentValue(a)));
    if (!statuses.some((s) => s.kind === 'key' || s.kind === 'headered')) return;
    const candidates = sameFile.functions(name).filter((f) => parameters(f).length === args.length);
    if (candidates.length !== 1 || visited.has(candidates[0].id)) return;
    const target = candidates[0];
    const params = parameters(target);
    const calleeSeeds = new Map<string, Status>();
    statuses.forEach((s, i) => {
      if ((s.kind === 'key' || s.kind === 'headered') && params[i]) calleeSeeds.set(params[i], s);
    });
    analyzeScope(sameFile, target, calleeSeeds, checksType, depth + 1, new Set([...visited, scope.id]));
  };

  // `keyData.sha256`, `keyData.sha256()`: a member of a same-file extension of Data, with the key as `self`.
  const readMember = (navigation: Node) => {
    const name = navigation.childForFieldName('suffix')?.childForFieldName('suffix')?.text;
    if (!name) return;
    const target = navigation.childForFieldName('target') ?? undefined;
    if (SWIFT_DIGEST_HELPER.test(name) && hashesDescription(target)) return;
    followMember(name, evaluate(target));
  };
  // `keyData.description.sha256()`: whatever the helper does, it hashes the text, not the key.
  const hashesDescription = (target: Node | undefined): boolean => {
    const n = swiftStrip(target);
    if (n?.type !== 'navigation_expression' || swiftMemberName(n)?.name.text !== 'description' || n.parent?.type !== 'navigation_expression') return false;
    const described = evaluate(n.childForFieldName('target') ?? undefined);
    if (described.kind !== 'key' && described.kind !== 'headered') return false;
    // The helper's call when it is a method (`.sha256()`), else the property read (`.sha256`).
    const helper = n.parent;
    const site = helper.parent?.type === 'call_expression' && helper.parent.namedChildren[0]?.id === helper.id ? helper.parent : helper;
    sameFile.hashes.set(site.id, { digest: { call: site, name: swiftMemberName(helper)?.name.text ?? 'description' }, kind: 'description' });
    return true;
  };
  const followMember = (name: string, self: Status) => {
    if (depth >= MAX_DEPTH || (self.kind !== 'key' && self.kind !== 'headered')) return;
    const bodies = sameFile.members(name);
    if (bodies.length !== 1 || visited.has(bodies[0].id)) return;
    analyzeScope(sameFile, bodies[0], new Map([['self', self]]), checksType, depth + 1, new Set([...visited, scope.id]));
  };

  const report = (digest: SwiftDigest) => {
    const status = vars.has('self') && readsImplicitSelf(digest) ? vars.get('self')! : evaluate(swiftDigestSource(digest));
    const seen = sameFile.hashes.get(digest.call.id);
    if (status.kind === 'key' && seen?.kind !== 'raw') sameFile.hashes.set(digest.call.id, { digest, kind: 'raw' });
    else if (status.kind === 'headered' && !seen && !checksType && !isBuiltForKey(status.header)) {
      sameFile.hashes.set(digest.call.id, { digest, kind: 'headered', header: status.header });
    }
  };

  for (const event of events) event.run();
}

/** The status of `base` with `tail` appended: a non-empty prefix before the key is a header. */
function append(base: Status, tail: Status): Status {
  if (tail.kind === 'key') {
    if (base.kind === 'empty') return { kind: 'key' };
    if (base.kind === 'other' && base.node) return { kind: 'headered', header: base.node };
    return OTHER;
  }
  if (base.kind === 'headered') return base;
  if (base.kind === 'empty') return tail.kind === 'other' && tail.node ? { kind: 'other', node: tail.node } : tail;
  if (base.kind === 'key') return OTHER;
  return base;
}

/** Internal parameter names of a function declaration, in order. */
function parameters(fn: Node): string[] {
  return fn.namedChildren.filter((c): c is Node => c?.type === 'parameter').map((p) => p.childForFieldName('name')?.text ?? '');
}

/** A header produced by a helper (`asn1Header(for: key)`, `getHeaderSize()` in a SecKey extension) is chosen per key. */
function isBuiltForKey(header: Node): boolean {
  const n = swiftStrip(header);
  if (n?.type !== 'call_expression') return false;
  return HEADER_BUILDER.test(swiftCalleeName(n) ?? '');
}

/**
 * The properties read in `scope` that are no call's callee (`keyData.sha256.base64EncodedString()`
 * reads `sha256`): a call's (`keyData.sha256()`) is followed with the call.
 */
function memberReads(scope: Node): Node[] {
  return descendants(scope, 'navigation_expression').filter((n) => {
    const parent = n.parent;
    return !(parent?.type === 'call_expression' && parent.namedChildren[0]?.id === n.id);
  });
}

/**
 * In an extension's member, a digest of `self`'s bytes that names no receiver: inside a bare
 * `withUnsafeBytes { … }`, or with the length `count` or (NSData) `length`
 * (`CC_SHA256($0.baseAddress, CC_LONG(count), &d)`).
 */
function readsImplicitSelf(digest: SwiftDigest): boolean {
  let lambda: Node | undefined;
  for (const a of ancestors(digest.call)) {
    if (a.type === 'lambda_literal') {
      lambda = a;
      break;
    }
  }
  const call = lambda?.parent?.type === 'call_suffix' ? lambda.parent.parent : undefined;
  const callee = call?.namedChildren[0];
  if (callee?.type === 'simple_identifier' && (callee.text === 'withUnsafeBytes' || callee.text === 'withUnsafeBufferPointer')) return true;
  const length = swiftLengthValue(digest.length);
  return length?.type === 'simple_identifier' && (length.text === 'count' || length.text === 'length');
}
