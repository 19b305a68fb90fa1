import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../engine/rule';
import type { SourceFile } from '../engine/source-file';
import {
  dartCertificateComparisons, dartCertificateRun, dartDigestInputs, dartParts, dartRunBefore, dartSelectorArguments, dartSelectorName, isDartCertificate,
  SWIFT_DIGEST_HELPER, swiftBindings, swiftDigestSource, swiftDigests, swiftScope, swiftStrip, tsClimbTransparent,
} from '../facts/digests';
import { filledLater } from '../facts/names';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftCalleeName, swiftMemberName } from '../facts/swift';
import { ancestors, contains, descendants, descendantsAround, stringValue } from '../facts/tree';
import { tsFunction, tsPropertyName } from '../facts/ts';
import { reportTrustOptions, withLibraryTriggers } from '../libraries';

export const fullCertificateHash = defineRule(
  {
    id: 'full-certificate-hash',
    level: 'warning',
    security: { cwe: [295, 322], masvs: ['MASVS-NETWORK-2'], severity: 5.3, precision: 'high' },
    families: ['dart', 'swift', 'ts'],
    description: 'The whole certificate is hashed or compared where a public key (SPKI) pin belongs: the pin breaks at every certificate renewal.',
    // What each language's check starts from: the certificate's bytes or its fingerprint, read
    // as a property (`cert.der`, `cert?.pem`, `cert['raw']`) or returned by the one Swift call.
    triggers: withLibraryTriggers({
      dart: ['.der', '.pem', '.sha1'],
      swift: ['SecCertificateCopyData'],
      ts: ['fingerprint', '.raw', "'raw'", '"raw"'],
    }, 'pinsWholeCertificate'),
    relaxedInDebugCode: true,
  },
  {
    dart: (c) => { checkDart(c); reportTrustOptions(c, 'pinsWholeCertificate'); },
    swift: (c) => { checkSwift(c); reportTrustOptions(c, 'pinsWholeCertificate'); },
    ts: (c) => { checkTs(c); reportTrustOptions(c, 'pinsWholeCertificate'); },
  },
);

const WHY = 'the certificate\'s hash changes at every renewal (every 90 days with Let\'s Encrypt), and from then on the pin check rejects the server and locks every user of this app version out. Pin the hash of the SubjectPublicKeyInfo (SPKI) instead: it survives renewals that keep the key, and a backup pin covers a key change.';

const INTERPOLATIONS = new Set(['template_substitution', 'interpolated_expression']);

/** A value shown in a message or log line (`'fingerprint ${…}'`, `"\\(…)"`) is not a pin check. */
function inStringInterpolation(node: Node): boolean {
  for (const a of ancestors(node)) {
    if (INTERPOLATIONS.has(a.type)) return true;
    if (a.type.endsWith('function_body') || a.type === 'statements' || a.type === 'statement_block') return false;
  }
  return false;
}

// ---------------------------------------------------------------- Dart

function checkDart(context: RuleContext): void {
  const { file } = context;
  for (const { digest, input } of dartDigestInputs(file)) {
    const hashed = dartCertificateBytes(input);
    if (!hashed || inStringInterpolation(input)) continue;
    context.report(hashed.node, `${digest} hashes ${hashed.what}: ${WHY}`, { data: { fix: 'dart.hashSpki' } });
  }
  // `cert.pem == pinnedPem`: the certificate itself is the pin. (No fix: a hash on one side only would never match.)
  for (const { comparison, certificate } of dartCertificateComparisons(file)) {
    if (!inStringInterpolation(comparison)) context.report(comparison, `This compares ${certificate} with a pinned value: ${WHY}`);
  }
  for (const selector of descendantsAround(file.root, file.text, ['selector'], ['sha1'])) {
    if (dartSelectorName(selector) !== 'sha1') continue;
    const next = selector.nextNamedSibling;
    // `sha1(…)` is a call and `crypto.sha1.convert(…)` a digest: neither is the certificate property.
    if (dartSelectorArguments(next ?? undefined) || dartSelectorName(next ?? undefined) === 'convert') continue;
    const run = dartRunBefore(selector);
    if (run.length === 0 || inStringInterpolation(selector) || !isDartCertificate(file, run, selector)) continue;
    const parent = selector.parent!;
    const parts = dartParts(parent);
    const whole = parts[0]?.id === run[0].id && parts.at(-1)?.id === selector.id && parent.type === 'argument';
    context.report(whole ? parent : selector, `X509Certificate.sha1 is the SHA-1 hash of the whole certificate: ${WHY}`, {
      data: { fix: 'dart.hashSpki' },
    });
  }
}

/** The hashed argument when it is the certificate's DER (`x.der`) or PEM (`utf8.encode(x.pem)`). */
function dartCertificateBytes(argument: Node, depth = 0): { node: Node; what: string } | undefined {
  if (depth > 4) return undefined;
  const parts = dartParts(argument);
  const what = dartCertificateRun(parts);
  if (what) return { node: argument, what };
  // `cert?.der ?? const []`: the certificate when there is one.
  if (parts.length === 1 && parts[0].type === 'if_null_expression') {
    const first = parts[0].childrenForFieldName('first').filter((n): n is Node => !!n);
    const firstWhat = dartCertificateRun(first);
    if (firstWhat) return { node: argument, what: firstWhat };
  }
  // Uint8List.fromList(x), List<int>.from(x), utf8.encode(x.pem): the same bytes.
  const [head, method, call] = parts;
  const inner = parts.length === 3 ? dartSelectorArguments(call) : undefined;
  if (head?.type === 'identifier' && inner?.length === 1 && inner[0].type === 'argument') {
    const m = dartSelectorName(method);
    if ((/^(Uint8List|Int8List|List)$/.test(head.text) && (m === 'fromList' || m === 'from')) ||
        (/^(utf8|ascii|latin1)$/.test(head.text) && m === 'encode')) {
      return dartCertificateBytes(inner[0], depth + 1);
    }
  }
  // A local variable holding the DER: `final der = cert.der; sha256.convert(der)`.
  if (parts.length === 1 && parts[0].type === 'identifier') {
    const value = dartLocalValue(argument, parts[0].text);
    const valueWhat = value && dartCertificateRun(value);
    if (valueWhat) return { node: argument, what: valueWhat };
  }
  return undefined;
}

/** The value run of the one same-function `final name = …` declaration, when it is unique. */
function dartLocalValue(from: Node, name: string): Node[] | undefined {
  let scope: Node = from;
  for (const a of ancestors(from)) {
    scope = a;
    if (a.type === 'function_body' || a.type === 'function_expression_body') break;
  }
  const definitions = descendants(scope, 'initialized_variable_definition').filter((d) => d.childForFieldName('name')?.text === name);
  if (definitions.length !== 1) return undefined;
  const values = definitions[0].childrenForFieldName('value').filter((v): v is Node => !!v);
  return values.length > 0 ? values : undefined;
}

// ---------------------------------------------------------------- Swift

function checkSwift(context: RuleContext): void {
  const { file } = context;
  const copies = descendantsAround(file.root, file.text, ['call_expression'], ['SecCertificateCopyData']).filter(
    (c) => c.namedChildren[0]?.type === 'simple_identifier' && swiftCalleeName(c) === 'SecCertificateCopyData',
  );
  const scopes = new Map<number, Node>();
  for (const copy of copies) {
    const scope = swiftScope(copy);
    scopes.set(scope.id, scope);
  }
  for (const scope of scopes.values()) {
    const originOf = swiftCertificateDataOrigins(scope, copies);
    const hashed = (origin: Node | undefined, how: string, site: Node, fixable = true) => {
      if (!origin || inStringInterpolation(site)) return;
      context.report(origin, `SecCertificateCopyData returns the whole certificate (DER), and ${how}: ${WHY}`, fixable ? { data: { fix: 'swift.hashSpki' } } : {});
    };
    for (const digest of swiftDigests(scope)) {
      hashed(originOf(swiftDigestSource(digest)), `here it is hashed with ${digest.name}`, digest.call);
    }
    for (const call of descendants(scope, 'call_expression')) {
      const name = swiftCalleeName(call) ?? '';
      const callee = call.namedChildren[0];
      const args = swiftArguments(call);
      const values = args.map(swiftArgumentValue);
      const target = callee?.type === 'navigation_expression' ? callee.childForFieldName('target') ?? undefined : undefined;
      if (SWIFT_DIGEST_HELPER.test(name)) {
        if (target && args.length === 0) hashed(originOf(target), `here it is hashed by ${name}()`, call);
        else if (args.length === 1) hashed(originOf(values[0]), `here it is hashed by ${name}(…)`, call);
      } else if (name === 'contains' && target && args.length === 1 && swiftArgumentLabel(args[0]) === undefined) {
        hashed(originOf(values[0]), 'here it is looked up in a set of pinned values', call);
      } else if ((name === 'isEqual' || name === 'elementsEqual') && target && args.length === 1) {
        hashed(originOf(target) ?? originOf(values[0]), 'here it is compared with a pinned value', call);
      }
    }
    // `data.description.sha256()`: the text Data or NSData prints about the certificate, hashed.
    for (const described of descendants(scope, 'navigation_expression')) {
      if (swiftMemberName(described)?.name.text !== 'description' || described.parent?.type !== 'navigation_expression') continue;
      const helper = swiftMemberName(described.parent)?.name.text;
      if (!helper || !SWIFT_DIGEST_HELPER.test(helper)) continue;
      hashed(originOf(described.childForFieldName('target') ?? undefined),
        `here its description, the text Data or NSData prints about it (\`1234 bytes\` for Data; for NSData since iOS 13 its length and its first and last few bytes), is hashed by ${helper}`, described.parent, false);
    }
    for (const equality of descendants(scope, 'equality_expression')) {
      const lhs = equality.childForFieldName('lhs') ?? undefined;
      const rhs = equality.childForFieldName('rhs') ?? undefined;
      if (!lhs || !rhs || lhs.text === 'nil' || rhs.text === 'nil') continue;
      hashed(originOf(lhs) ?? originOf(rhs), 'here it is compared with a pinned value', equality);
    }
  }
}

/** Maps an expression to the SecCertificateCopyData call whose bytes it holds, directly or through a same-function variable. */
function swiftCertificateDataOrigins(scope: Node, copies: Node[]): (node: Node | undefined) => Node | undefined {
  const copyIds = new Set(copies.map((c) => c.id));
  const bindings = swiftBindings(scope);
  const origins = new Map<string, Node>();
  const notCertificate = new Set<string>();
  const direct = (node: Node | undefined, depth = 0): Node | undefined => {
    const stripped = swiftStrip(node);
    if (!stripped) return undefined;
    // `data.base64EncodedString()`: the same certificate, spelled differently.
    if (stripped.type === 'call_expression' && depth < 3 && swiftCalleeName(stripped) === 'base64EncodedString') {
      const callee = stripped.namedChildren[0];
      if (callee?.type === 'navigation_expression') return direct(callee.childForFieldName('target') ?? undefined, depth + 1);
    }
    if (copyIds.has(stripped.id)) return stripped;
    if (stripped.type === 'simple_identifier' && !notCertificate.has(stripped.text)) return origins.get(stripped.text);
    return undefined;
  };
  for (let changed = true, rounds = 0; changed && rounds < 5; rounds++) {
    changed = false;
    for (const binding of bindings) {
      const origin = direct(binding.value);
      if (origin && !origins.has(binding.name)) {
        origins.set(binding.name, origin);
        changed = true;
      }
    }
  }
  // A name also bound to something else, or reassigned, is not tracked.
  for (const binding of bindings) if (origins.has(binding.name) && !direct(binding.value)) notCertificate.add(binding.name);
  for (const assignment of descendants(scope, 'assignment')) {
    const target = assignment.childForFieldName('target')?.text.trim();
    if (target) notCertificate.add(target);
  }
  return direct;
}

// ---------------------------------------------------------------- TS / JS

const FINGERPRINTS = new Set(['fingerprint', 'fingerprint256', 'fingerprint512']);
const TS_FUNCTIONS = ['arrow_function', 'function_expression', 'function', 'function_declaration', 'method_definition', 'generator_function', 'generator_function_declaration'];

function checkTs(context: RuleContext): void {
  const { file } = context;
  // FINGERPRINTS all hold `fingerprint`.
  for (const member of descendantsAround(file.root, file.text, ['member_expression', 'subscript_expression'], ['fingerprint', 'raw'])) {
    const name = tsMemberName(member);
    if (!name) continue;
    const object = member.childForFieldName('object');
    if (!object || isCallee(member)) continue;
    if (FINGERPRINTS.has(name)) {
      if (name === 'fingerprint' && !isTsCertificate(file, object)) continue;
      if (!comparedAsPin(file.text, member)) continue;
      context.report(member, `${name} is a hash of the whole certificate, and here it is compared with a pin: ${WHY}`, {
        data: { fix: 'ts.hashPubkey' },
      });
    } else if (name === 'raw' && !inStringInterpolation(member) && isTsCertificate(file, object) && hashedOrCompared(member)) {
      context.report(member, `raw is the whole certificate (DER), and here it is hashed or compared with a pin: ${WHY}`, {
        data: { fix: 'ts.hashPubkey' },
      });
    }
  }
  // `const { fingerprint256 } = socket.getPeerCertificate(); if (!PINS.includes(fingerprint256)) …`
  for (const pattern of descendantsAround(file.root, file.text, ['shorthand_property_identifier_pattern', 'pair_pattern'], ['fingerprint'])) {
    const key = pattern.type === 'pair_pattern' ? tsPropertyName(pattern) : pattern.text;
    const local = pattern.type === 'pair_pattern' ? pattern.childForFieldName('value') : pattern;
    const declarator = pattern.parent?.type === 'object_pattern' ? pattern.parent.parent : undefined;
    if (!key || !FINGERPRINTS.has(key) || local?.type !== (pattern.type === 'pair_pattern' ? 'identifier' : pattern.type)) continue;
    if (declarator?.type !== 'variable_declarator') continue;
    const source = declarator.childForFieldName('value');
    if (key === 'fingerprint' && (!source || !isTsCertificate(file, source))) continue;
    if (!tsReferences(declarator, local.text).some((ref) => comparedAsPin(file.text, ref))) continue;
    context.report(pattern, `${key} is a hash of the whole certificate, and here it is compared with a pin: ${WHY}`, {
      data: { fix: 'ts.hashPubkey' },
    });
  }
}

function tsMemberName(member: Node): string | undefined {
  if (member.type !== 'member_expression' && member.type !== 'subscript_expression') return undefined;
  if (member.type === 'member_expression') return member.childForFieldName('property')?.text;
  const index = member.childForFieldName('index');
  return index?.type === 'string' ? stringValue(index) : undefined;
}

function isCallee(member: Node): boolean {
  const parent = member.parent;
  return parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === member.id;
}

const EQUALITY = new Set(['===', '==', '!==', '!=']);
const NOT_A_PIN = new Set(['null', 'undefined']);

/**
 * Whether the value of `node` (in `text`) is compared with pins: equality, `.includes`/`.has`/`.indexOf`
 * on a collection the file does not fill (`seen.has(fp)` after `seen.add(fp)` tracks a walk of the
 * chain), `in`, a lookup, a `switch`, or through a variable.
 */
function comparedAsPin(text: string, node: Node, depth = 0): boolean {
  if (depth > 3) return false;
  const value = tsClimbTransparent(node);
  const parent = value.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'binary_expression': {
      const operator = parent.childForFieldName('operator')?.text ?? '';
      const left = parent.childForFieldName('left');
      const right = parent.childForFieldName('right');
      if (operator === 'in') return left?.id === value.id;
      if (!EQUALITY.has(operator) || !left || !right) return false;
      const other = left.id === value.id ? right : left;
      if (NOT_A_PIN.has(other.type) || NOT_A_PIN.has(other.text) || (other.type === 'string' && stringValue(other) === '')) return false;
      // Certificate against certificate — walking a chain to its root (`c.fingerprint256 === c.issuerCertificate.fingerprint256`),
      // noticing a renewed certificate file (`next.fingerprint256 !== current.fingerprint256`) — is no pin check.
      return !/issuerCertificate/.test(parent.text) && !FINGERPRINTS.has(tsMemberName(other) ?? '') && !holdsFingerprint(other);
    }
    case 'arguments': {
      const call = parent.parent;
      const fn = call?.childForFieldName('function');
      if (fn?.type !== 'member_expression' || parent.namedChildren[0]?.id !== value.id) return false;
      const collection = fn.childForFieldName('object');
      if (collection?.type === 'identifier' && filledLater(text, collection.text)) return false;
      return ['includes', 'has', 'indexOf', 'lastIndexOf'].includes(fn.childForFieldName('property')?.text ?? '');
    }
    case 'subscript_expression':
      return parent.childForFieldName('index')?.id === value.id;
    case 'switch_statement':
      return parent.childForFieldName('value')?.id === value.id;
    case 'variable_declarator': {
      const name = parent.childForFieldName('name');
      if (name?.type !== 'identifier' || parent.childForFieldName('value')?.id !== value.id) return false;
      return tsReferences(parent, name.text).some((ref) => comparedAsPin(text, ref, depth + 1));
    }
    default:
      return false;
  }
}

/**
 * Whether `node` is a variable whose every value in its function is another certificate's
 * fingerprint: `fingerprint = new X509Certificate(pem).fingerprint256` (the certificate a browser
 * saw, compared with the one a second connection gets), no pin.
 */
function holdsFingerprint(node: Node): boolean {
  if (node.type !== 'identifier') return false;
  const declares = (d: Node) => d.childForFieldName('name')?.text === node.text;
  // The function that declares it (the comparison may sit in a callback within).
  const scope = [...ancestors(node)].find((a) => TS_FUNCTIONS.includes(a.type) && descendants(a, 'variable_declarator').some(declares));
  if (!scope) return false;
  const values = [
    ...descendants(scope, 'variable_declarator').filter(declares).map((d) => d.childForFieldName('value')).filter((v): v is Node => !!v),
    ...descendants(scope, 'assignment_expression').filter((a) => a.childForFieldName('left')?.text === node.text).map((a) => a.childForFieldName('right')),
  ];
  return values.length > 0 && values.every((v) => !!v && FINGERPRINTS.has(tsMemberName(v) ?? ''));
}

/** Whether `node` (a certificate's `raw`) is hashed or compared: `hash.update(x)`, `crypto.hash(alg, x)`, `subtle.digest(alg, x)`, `.equals`. */
function hashedOrCompared(node: Node, depth = 0): boolean {
  if (depth > 3) return false;
  const value = tsClimbTransparent(node);
  const parent = value.parent;
  if (!parent) return false;
  if (parent.type === 'member_expression' && parent.childForFieldName('object')?.id === value.id) {
    return parent.childForFieldName('property')?.text === 'equals' && parent.parent?.type === 'call_expression';
  }
  if (parent.type === 'arguments') {
    const fn = parent.parent?.childForFieldName('function');
    const method = fn?.type === 'member_expression' ? fn.childForFieldName('property')?.text : fn?.text;
    const index = parent.namedChildren.findIndex((c) => c?.id === value.id);
    if (method === 'update' || method === 'equals') return index === 0;
    if (method === 'hash' || method === 'digest') return index === 1;
    if (fn?.text.replace(/\s+/g, '') === 'Buffer.compare') return true;
    return false;
  }
  if (parent.type === 'variable_declarator') {
    const name = parent.childForFieldName('name');
    if (name?.type !== 'identifier' || parent.childForFieldName('value')?.id !== value.id) return false;
    return tsReferences(parent, name.text).some((ref) => hashedOrCompared(ref, depth + 1));
  }
  return false;
}

/** Identifiers named `name` in the function that holds `declarator`, other than the declared name itself. */
function tsReferences(declarator: Node, name: string): Node[] {
  let scope: Node = declarator;
  for (const a of ancestors(declarator)) {
    scope = a;
    if (TS_FUNCTIONS.includes(a.type)) break;
  }
  const declared = declarator.childForFieldName('name');
  return descendants(scope, 'identifier').filter((i) => i.text === name && !(declared && contains(declared, i)));
}

const TS_CERTIFICATE_TYPE = /\b(PeerCertificate|DetailedPeerCertificate|X509Certificate)\b/;
const TS_CERTIFICATE_SOURCE = /\b(getPeerCertificate|getCertificate|X509Certificate)\b/;
/** Where a declaration's type or value can say that it holds a certificate. */
const TS_CERTIFICATE_TYPE_OR_SOURCE = /PeerCertificate|X509Certificate|getCertificate/g;

/** Whether `object` is a certificate: by name, type annotation, where it comes from, or as checkServerIdentity's second parameter. */
function isTsCertificate(file: SourceFile, object: Node): boolean {
  let n = object;
  while (n.type === 'non_null_expression' || n.type === 'parenthesized_expression') n = n.namedChildren[0] ?? n;
  let name: string | undefined;
  if (n.type === 'identifier') name = n.text;
  else if (n.type === 'member_expression') name = n.childForFieldName('property')?.text;
  else if (n.type === 'subscript_expression') return isTsCertificate(file, n.childForFieldName('object') ?? n);
  else if (n.type === 'call_expression' || n.type === 'new_expression') {
    return TS_CERTIFICATE_SOURCE.test(n.childForFieldName('function')?.text ?? n.childForFieldName('constructor')?.text ?? '');
  }
  if (!name) return false;
  if (/cert|x509/i.test(name)) return true;
  return n.type === 'identifier' && tsCertificateNames(file).has(name);
}

function tsCertificateNames(file: SourceFile): Set<string> {
  return file.fact('fullCertificateHash.tsCertificateNames', () => {
    const names = new Set<string>();
    for (const n of descendantsAround(file.root, file.text, ['required_parameter', 'optional_parameter', 'variable_declarator'], TS_CERTIFICATE_TYPE_OR_SOURCE)) {
      const name = (n.childForFieldName('pattern') ?? n.childForFieldName('name'));
      if (name?.type !== 'identifier') continue;
      const type = n.childForFieldName('type')?.text ?? '';
      const value = n.type === 'variable_declarator' ? n.childForFieldName('value')?.text ?? '' : '';
      if (TS_CERTIFICATE_TYPE.test(type) || TS_CERTIFICATE_SOURCE.test(value)) names.add(name.text);
    }
    // checkServerIdentity(host, cert): the second parameter is the peer certificate.
    for (const n of descendantsAround(file.root, file.text, ['pair', 'method_definition', 'assignment_expression'], ['checkServerIdentity'])) {
      const key = n.type === 'assignment_expression' ? n.childForFieldName('left')?.childForFieldName('property')?.text : tsPropertyName(n);
      if (key !== 'checkServerIdentity') continue;
      const value = n.type === 'method_definition' ? n : n.childForFieldName(n.type === 'pair' ? 'value' : 'right');
      const fn = value && tsFunction(file, value);
      const param = fn?.params[1]?.replace(/[?:].*$/s, '').trim();
      if (param) names.add(param);
    }
    return names;
  });
}
