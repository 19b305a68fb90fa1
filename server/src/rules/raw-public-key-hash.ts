import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../engine/rule';
import type { SourceFile } from '../engine/source-file';
import { swiftBindings, swiftDigest, swiftDigestSource, swiftScope, swiftStrip, type SwiftDigest } from '../facts/digests';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftCalleeName } from '../facts/swift';
import { descendants, descendantsAround, leavesMatching } from '../facts/tree';

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
  // The same-file functions of a name, looked up when key data is passed to one.
  const functions = (name: string) => descendantsAround(file.root, file.text, ['function_declaration'], [name])
    .filter((f) => f.childForFieldName('name')?.text === name);
  for (const scope of scopes.values()) {
    // The app's own key (a key ID, a signature payload) is no server key to pin.
    if (descendants(scope, 'simple_identifier').some((i) => OWN_KEY.test(i.text))) continue;
    analyzeScope(context, functions, scope, new Map(), false, 0, new Set());
  }
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
 * the key, or something else; reports digests of the bare key and of a single-type header plus key.
 * Key data passed to a same-file function is followed into it (two calls deep).
 */
function analyzeScope(
  context: RuleContext,
  functions: (name: string) => Node[],
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
    // `d.append(key)`, `d.append(contentsOf: key)`
    if (callee?.type === 'navigation_expression' && name === 'append' && args.length === 1) {
      const target = swiftStrip(callee.childForFieldName('target') ?? undefined);
      const label = swiftArgumentLabel(args[0]);
      if (target?.type === 'simple_identifier' && (label === undefined || label === 'contentsOf')) {
        vars.set(target.text, append(vars.get(target.text) ?? { kind: 'other', node: target }, evaluate(swiftArgumentValue(args[0]))));
      }
      return;
    }
    // Key data handed to a same-file function: follow it there.
    if (depth >= MAX_DEPTH || !name) return;
    const local = callee?.type === 'simple_identifier' || (callee?.type === 'navigation_expression' && callee.childForFieldName('target')?.type === 'self_expression');
    if (!local) return;
    const statuses = args.map((a) => evaluate(swiftArgumentValue(a)));
    if (!statuses.some((s) => s.kind === 'key' || s.kind === 'headered')) return;
    const candidates = functions(name).filter((f) => parameters(f).length === args.length);
    if (candidates.length !== 1 || visited.has(candidates[0].id)) return;
    const target = candidates[0];
    const params = parameters(target);
    const calleeSeeds = new Map<string, Status>();
    statuses.forEach((s, i) => {
      if ((s.kind === 'key' || s.kind === 'headered') && params[i]) calleeSeeds.set(params[i], s);
    });
    analyzeScope(context, functions, target, calleeSeeds, checksType, depth + 1, new Set([...visited, scope.id]));
  };

  const report = (digest: SwiftDigest) => {
    const status = evaluate(swiftDigestSource(digest));
    if (status.kind === 'key') {
      context.report(digest.call, `${digest.name} hashes the raw key from SecKeyCopyExternalRepresentation with no ASN.1 SubjectPublicKeyInfo header: the result can never equal an SPKI pin made with openssl or a "sha256/…" pin, so the check fails for every server (or matches only pins made the same nonstandard way). Prepend the ASN.1 header for the key's type and size (SecKeyCopyAttributes: kSecAttrKeyType, kSecAttrKeySizeInBits) before hashing.`, {
        data: { fix: 'swift.prependSpkiHeader' },
      });
    } else if (status.kind === 'headered' && !checksType && !isBuiltForKey(status.header)) {
      const header = status.header.text.length <= 40 ? status.header.text.replace(/\s+/g, ' ') : 'the ASN.1 header';
      context.report(digest.call, `${digest.name} hashes the key with ${header} prepended, an ASN.1 header that fits one key type and size, and the key's type and size are never checked: when the server's key is of another type or size (an EC P-256 key instead of RSA 2048, say) the hash is wrong and the pin check rejects the server. Choose the header from kSecAttrKeyType and kSecAttrKeySizeInBits (SecKeyCopyAttributes).`, {
        level: 'note',
        data: { fix: 'swift.prependSpkiHeader' },
      });
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
