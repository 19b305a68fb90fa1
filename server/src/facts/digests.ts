import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftCalleeName } from './swift';
import { dartCallbackBindings, dartFunction } from './dart';
import { ancestors, contains, descendants, descendantsAround } from './tree';

/**
 * Where data is hashed, per language: the digest call and the expression it hashes.
 * Shared by the rules that ask *what* is hashed (whole certificate, raw key, SPKI).
 */

// ---------------------------------------------------------------- Dart

/** package:crypto digests: `sha256.convert(bytes)`. */
export const DART_DIGESTS = /^(sha1|sha224|sha256|sha384|sha512|sha512224|sha512256|md5)$/;
/** pointycastle: `SHA256Digest().process(bytes)`, `Digest('SHA-256').process(bytes)`. */
const DART_POINTYCASTLE_DIGEST = /^(\w*Digest)$/;

/** The named children of a Dart node without comments: for Dart, a flat run of primary + selectors. */
export function dartParts(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

/** `.name` / `?.name` selector → name. */
export function dartSelectorName(node: Node | undefined): string | undefined {
  if (node?.type !== 'selector') return undefined;
  const assignable = node.namedChildren.find(
    (c) => c?.type === 'unconditional_assignable_selector' || c?.type === 'conditional_assignable_selector',
  );
  return assignable?.namedChildren.find((c) => c?.type === 'identifier')?.text;
}

/** `x.der`, `x!.der`, `x?.der`, `x.pem.codeUnits`: a run whose value is the whole certificate. */
export function dartCertificateRun(parts: Node[]): string | undefined {
  if (parts.length < 2) return undefined;
  const last = dartSelectorName(parts.at(-1));
  if (last === 'der') return 'the whole certificate (X509Certificate.der)';
  if (last === 'pem' || (last === 'codeUnits' && dartSelectorName(parts.at(-2)) === 'pem')) {
    return 'the whole certificate (X509Certificate.pem)';
  }
  return undefined;
}

/**
 * `cert.pem == pinnedPem`, `pinnedPem != cert.pem`: an equality of the whole certificate (its
 * PEM, a string Dart compares by value) with something other than a literal.
 */
export function dartCertificateComparisons(file: SourceFile): { comparison: Node; certificate: string }[] {
  return file.fact('dartCertificateComparisons', () => {
    const found: { comparison: Node; certificate: string }[] = [];
    for (const comparison of descendantsAround(file.root, file.text, ['equality_expression'], ['.pem'])) {
      const parts = dartParts(comparison);
      const at = parts.findIndex((c) => c.type === 'equality_operator');
      if (at <= 0) continue;
      const [left, right] = [parts.slice(0, at), parts.slice(at + 1)];
      const leftPem = pemRun(file, left);
      const certificate = leftPem ?? pemRun(file, right);
      const other = leftPem ? right : left;
      const literal = other.length === 1 && /^(null|'[^']*'|"[^"]*")$/.test(other[0].text);
      if (certificate && !literal) found.push({ comparison, certificate });
    }
    return found;
  });
}

/** `cert.pem`, `cert!.pem`: the certificate's PEM, of a receiver that is a certificate. */
function pemRun(file: SourceFile, parts: Node[]): string | undefined {
  const last = parts.at(-1);
  if (dartSelectorName(last) !== 'pem' || !isDartCertificate(file, parts.slice(0, -1), last!)) return undefined;
  return dartCertificateRun(parts);
}

/** Whether the receiver run (of `.sha1`, `.pem`...) is an X509Certificate: by name, declared type, or certificate-callback parameter. */
export function isDartCertificate(file: SourceFile, run: Node[], at: Node): boolean {
  let receiver = run.at(-1);
  if (receiver?.type === 'selector' && receiver.text.trim() === '!') receiver = run.at(-2);
  const name = receiver?.type === 'identifier' ? receiver.text : dartSelectorName(receiver);
  if (!name) return false;
  if (/cert|x509/i.test(name)) return true;
  if (run.length === 1 || (run.length === 2 && run[1].text.trim() === '!')) {
    if (dartCertificateTypedNames(file).has(name)) return true;
    return dartCallbackBindings(file).some((binding) => {
      const fn = dartFunction(file, binding.value);
      return !!fn && fn.params[0] === name && contains(fn.node, at);
    });
  }
  return false;
}

function dartCertificateTypedNames(file: SourceFile): Set<string> {
  return file.fact('dartCertificateNames', () => {
    const names = new Set<string>();
    for (const n of descendantsAround(file.root, file.text, ['formal_parameter', 'initialized_variable_definition'], ['X509Certificate'])) {
      const typed = n.namedChildren.some((c) => c?.type === 'type_identifier' && c.text === 'X509Certificate');
      const name = n.childForFieldName('name')?.text ?? n.namedChildren.filter((c) => c?.type === 'identifier').at(-1)?.text;
      if (typed && name) names.add(name);
    }
    return names;
  });
}

/** `(…)` selector → its `argument` / `named_argument` nodes. */
export function dartSelectorArguments(node: Node | undefined): Node[] | undefined {
  if (node?.type !== 'selector') return undefined;
  const part = node.namedChildren.find((c) => c?.type === 'argument_part');
  const list = part?.namedChildren.find((c) => c?.type === 'arguments');
  if (!list) return undefined;
  return list.namedChildren.filter((c): c is Node => c?.type === 'argument' || c?.type === 'named_argument');
}

export interface DartDigestInput {
  /** The digest's name as written: `sha256`, `SHA256Digest`. */
  digest: string;
  /** The `.convert` / `.process` selector. */
  site: Node;
  /** The single `argument` node that is hashed. */
  input: Node;
}

/** Every `<digest>.convert(x)` and pointycastle `<…Digest>(…).process(x)` of the file. */
export function dartDigestInputs(file: SourceFile): DartDigestInput[] {
  return file.fact('dart.digestInputs', () => {
    const found: DartDigestInput[] = [];
    for (const selector of descendantsAround(file.root, file.text, ['selector'], ['convert', 'process'])) {
      const name = dartSelectorName(selector);
      if (name !== 'convert' && name !== 'process') continue;
      const args = dartSelectorArguments(selector.nextNamedSibling ?? undefined);
      if (!args || args.length !== 1 || args[0].type !== 'argument') continue;
      const before = selector.previousNamedSibling;
      if (!before) continue;
      if (name === 'convert') {
        const digest = before.type === 'identifier' ? before.text : dartSelectorName(before);
        if (digest && DART_DIGESTS.test(digest)) found.push({ digest, site: selector, input: args[0] });
      } else {
        const digest = dartRunBefore(selector).find((n) => n.type === 'identifier' && DART_POINTYCASTLE_DIGEST.test(n.text));
        if (digest) found.push({ digest: digest.text, site: selector, input: args[0] });
      }
    }
    return found;
  });
}

/** The siblings before `node` in its flat run (the primary and the selectors up to it). */
export function dartRunBefore(node: Node): Node[] {
  const parts = node.parent ? dartParts(node.parent) : [];
  const index = parts.findIndex((p) => p.id === node.id);
  let start = index;
  while (start > 0 && parts[start - 1].type === 'selector') start--;
  if (start > 0) start--; // the primary
  return parts.slice(start, index);
}

// ---------------------------------------------------------------- Swift

const SWIFT_CRYPTOKIT_DIGEST = /^(CryptoKit\.)?(Insecure\.)?(SHA1|MD5|SHA256|SHA384|SHA512)$/;
const SWIFT_COMMONCRYPTO_DIGEST = /^CC_(SHA1|SHA224|SHA256|SHA384|SHA512|MD5)$/;

/** Methods, properties and helper functions named for a digest: `data.sha256()`, `data.sha256Hex`, `sha256(data: d)`. */
export const SWIFT_DIGEST_HELPER = /^(sha(1|224|256|384|512)|md5)\w*$/i;

export interface SwiftDigest {
  call: Node;
  /** `SHA256`, `Insecure.SHA1`, `CC_SHA256`. */
  name: string;
  /** The hashed value: the `data:` argument, or for CommonCrypto the pointer argument. */
  data?: Node;
  /** CommonCrypto's length argument (`CC_LONG(data.count)`): names the buffer when the pointer is a closure parameter. */
  length?: Node;
}

/** A CryptoKit `SHA256.hash(data:)` / CommonCrypto `CC_SHA256(ptr, len, out)` call, or undefined. */
export function swiftDigest(call: Node): SwiftDigest | undefined {
  if (call.type !== 'call_expression') return undefined;
  const callee = call.namedChildren[0];
  if (!callee) return undefined;
  const args = swiftArguments(call);
  if (callee.type === 'simple_identifier' && SWIFT_COMMONCRYPTO_DIGEST.test(callee.text)) {
    const data = args[0] && swiftArgumentValue(args[0]);
    const length = args[1] && swiftArgumentValue(args[1]);
    return { call, name: callee.text, data, length };
  }
  if (callee.type === 'navigation_expression' && swiftCalleeName(call) === 'hash') {
    const target = callee.childForFieldName('target');
    if (!target || !SWIFT_CRYPTOKIT_DIGEST.test(target.text.replace(/\s+/g, ''))) return undefined;
    const argument = args.find((a) => swiftArgumentLabel(a) === 'data');
    return { call, name: target.text.replace(/\s+/g, '').replace(/^CryptoKit\./, ''), data: argument && swiftArgumentValue(argument) };
  }
  return undefined;
}

export function swiftDigests(scope: Node): SwiftDigest[] {
  return descendants(scope, 'call_expression').map(swiftDigest).filter((d): d is SwiftDigest => !!d);
}

/** Calls that pass their single argument's bytes through unchanged. */
const SWIFT_TRANSPARENT_CALLS = new Set(['Data', 'NSData', 'Array', 'CFDataGetBytePtr']);
/** `asData`: apps' own `CFData` extension (`var asData: Data { self as Data }`), seen on an exported key. */
const SWIFT_TRANSPARENT_MEMBERS = new Set(['bytes', 'baseAddress', 'asData']);

/**
 * The expression under casts, parentheses, `!`, `try`, `&`, `Data(x)`, `NSData(data: x)`,
 * `[UInt8](x)`, `x.bytes`, `ptr.baseAddress`, `x?.asData`: what the bytes really are.
 */
export function swiftStrip(node: Node | undefined): Node | undefined {
  for (let n = node, depth = 0; n && depth < 12; depth++) {
    let next: Node | undefined | null;
    switch (n.type) {
      case 'as_expression':
      case 'try_expression':
        next = n.childForFieldName('expr');
        break;
      case 'tuple_expression': {
        const values = n.namedChildren.filter((c) => c?.type !== 'comment');
        next = values.length === 1 && !n.childForFieldName('name') ? values[0] : undefined;
        break;
      }
      case 'postfix_expression':
        next = n.childForFieldName('operation')?.type === 'bang' ? n.childForFieldName('target') : undefined;
        break;
      case 'prefix_expression':
        next = n.text.trimStart().startsWith('&') ? n.childForFieldName('target') : undefined;
        break;
      case 'navigation_expression': {
        const name = n.childForFieldName('suffix')?.childForFieldName('suffix')?.text;
        next = name && SWIFT_TRANSPARENT_MEMBERS.has(name) ? n.childForFieldName('target') : undefined;
        break;
      }
      case 'call_expression': {
        const callee = n.namedChildren[0];
        const args = swiftArguments(n);
        const transparent = callee && (SWIFT_TRANSPARENT_CALLS.has(callee.text) || /^\[\s*UInt8\s*\]$/.test(callee.text));
        const hasClosure = n.namedChildren.some((c) => c?.type === 'call_suffix' && c.namedChildren.some((s) => s?.type === 'lambda_literal'));
        if (transparent && args.length === 1 && !hasClosure) {
          const label = swiftArgumentLabel(args[0]);
          if (label === undefined || label === 'data' || label === 'bytes' || label === 'referencing') next = swiftArgumentValue(args[0]);
        } else if (transparent && args.length === 2 && !hasClosure) {
          // NSData(bytes: CFDataGetBytePtr(d), length: CFDataGetLength(d)): a copy of d.
          const [label, lengthLabel] = args.map(swiftArgumentLabel);
          if (label === 'bytes' && (lengthLabel === 'length' || lengthLabel === 'count')) next = swiftArgumentValue(args[0]);
        }
        break;
      }
    }
    if (!next) return n;
    n = next;
  }
  return node;
}

/** The name a stripped expression refers to, if it is a plain identifier. */
export function swiftIdentifier(node: Node | undefined): string | undefined {
  const stripped = swiftStrip(node);
  return stripped?.type === 'simple_identifier' ? stripped.text : undefined;
}

const SWIFT_SCOPES = new Set(['function_declaration', 'init_declaration', 'deinit_declaration', 'computed_property']);

/** The scope in which a Swift value is tracked: the enclosing function, initializer, computed property or file. */
export function swiftScope(node: Node): Node {
  for (const a of ancestors(node)) {
    if (SWIFT_SCOPES.has(a.type)) return a;
  }
  let root = node;
  while (root.parent) root = root.parent;
  return root;
}

export interface SwiftBinding {
  name: string;
  value: Node;
  /** The declaration, `if let` / `guard let` statement. */
  site: Node;
}

/** `let x = v`, `var x = v`, `if let x = v`, `guard let x = v` in `scope`, in document order. */
export function swiftBindings(scope: Node): SwiftBinding[] {
  const found: SwiftBinding[] = [];
  for (const n of descendants(scope, ['property_declaration', 'if_statement', 'guard_statement', 'while_statement'])) {
    if (n.type === 'property_declaration') {
      const name = n.childForFieldName('name')?.childForFieldName('bound_identifier')?.text;
      const value = n.childForFieldName('value');
      if (name && value) found.push({ name, value, site: n });
      continue;
    }
    const parts = n.namedChildren.filter((c): c is Node => !!c);
    parts.forEach((part, i) => {
      if (n.fieldNameForNamedChild(i) !== 'bound_identifier') return;
      // `if let data: NSData = …`: the type comes between the name and the value.
      const value = parts[i + 1]?.type === 'type_annotation' ? parts[i + 2] : parts[i + 1];
      if (value) found.push({ name: part.text, value, site: n });
    });
  }
  return found;
}

/**
 * When `node` (stripped) is a closure parameter — `$0`, or a named parameter of the enclosing
 * closure — and that closure is the trailing closure of `x.withUnsafeBytes`, the `x` it reads.
 */
export function swiftUnsafeBytesSource(node: Node | undefined): Node | undefined {
  const name = swiftIdentifier(node);
  if (!name) return undefined;
  for (const a of ancestors(node!)) {
    if (a.type !== 'lambda_literal') continue;
    const params = descendants(a.childForFieldName('type') ?? a, 'lambda_parameter', ['statements']).map(
      (p) => p.childForFieldName('name')?.text,
    );
    const isParameter = name === '$0' || params.includes(name);
    if (!isParameter) {
      if (/^\$\d+$/.test(name)) return undefined;
      continue;
    }
    const call = a.parent?.type === 'call_suffix' ? a.parent.parent : undefined;
    const callee = call?.namedChildren[0];
    if (!call || callee?.type !== 'navigation_expression') return undefined;
    const method = swiftCalleeName(call);
    if (method !== 'withUnsafeBytes' && method !== 'withUnsafeBufferPointer') return undefined;
    return callee.childForFieldName('target') ?? undefined;
  }
  return undefined;
}

/** CommonCrypto's length argument under its integer conversion: `CC_LONG(x.count)` → `x.count`. */
export function swiftLengthValue(length: Node | undefined): Node | undefined {
  if (length?.type !== 'call_expression' || !/^(CC_LONG|UInt32|Int)$/.test(length.namedChildren[0]?.text ?? '')) return length;
  const args = swiftArguments(length);
  return args.length === 1 ? swiftArgumentValue(args[0]) : undefined;
}

/** For CommonCrypto, `CC_LONG(x.count)` → `x`. */
export function swiftLengthSource(length: Node | undefined): Node | undefined {
  const n = swiftLengthValue(length);
  if (n?.type !== 'navigation_expression') return undefined;
  const member = n.childForFieldName('suffix')?.childForFieldName('suffix')?.text;
  return member === 'count' || member === 'length' ? n.childForFieldName('target') ?? undefined : undefined;
}

/** The buffer a digest reads: its data argument, through `withUnsafeBytes` closures and `CC_LONG(x.count)`. */
export function swiftDigestSource(digest: SwiftDigest): Node | undefined {
  if (!digest.data) return undefined;
  const viaClosure = swiftUnsafeBytesSource(digest.data);
  if (viaClosure) return viaClosure;
  const stripped = swiftStrip(digest.data);
  if (stripped && /^\$\d+$/.test(stripped.text)) return swiftLengthSource(digest.length);
  if (digest.name.startsWith('CC_') && stripped?.type === 'simple_identifier') {
    // A named closure parameter we could not tie to a buffer: the length names it.
    return swiftLengthSource(digest.length) ?? digest.data;
  }
  return digest.data;
}

// ---------------------------------------------------------------- TS / JS

/** String/Buffer methods that keep a value's identity for comparison purposes. */
export const TS_TRANSPARENT_METHODS = new Set([
  'replace', 'replaceAll', 'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'toString',
  'split', 'join', 'normalize',
]);

/**
 * Climbs from `node` through parentheses, `!`, `as`, `satisfies`, and transparent string
 * methods (`fp.replace(/:/g, '').toLowerCase()`): the outermost expression with the same value.
 */
export function tsClimbTransparent(node: Node): Node {
  let n = node;
  for (;;) {
    const parent = n.parent;
    if (!parent) return n;
    if (['parenthesized_expression', 'non_null_expression', 'as_expression', 'satisfies_expression', 'await_expression'].includes(parent.type)) {
      n = parent;
      continue;
    }
    if (parent.type === 'member_expression' && parent.childForFieldName('object')?.id === n.id) {
      const method = parent.childForFieldName('property')?.text;
      const call = parent.parent;
      if (method && TS_TRANSPARENT_METHODS.has(method) && call?.type === 'call_expression' && call.childForFieldName('function')?.id === parent.id) {
        n = call;
        continue;
      }
    }
    if (parent.type === 'arguments' && parent.parent?.type === 'call_expression') {
      // Buffer.from(x), String(x), new Uint8Array(x): one argument, same bytes.
      const call = parent.parent;
      const fn = call.childForFieldName('function')?.text.replace(/\s+/g, '');
      if (parent.namedChildren.length === 1 && fn && /^(Buffer\.from|String|Uint8Array\.from)$/.test(fn)) {
        n = call;
        continue;
      }
    }
    return n;
  }
}
