import type { Node } from 'web-tree-sitter';
import { filledLater, nameWords } from './names';
import type { Family } from '../engine/languages';
import type { SourceFile } from '../engine/source-file';
import { dioValidatesAfterHostnameCheck } from '../libraries/dio';
import { grpcCredentialsTrustSystemRoots } from '../libraries/grpc';
import { dartCallbackBindings, dartEnclosingClass, dartFunction, type DartCallbackBinding } from './dart';
import { dartCertificateComparisons } from './digests';
import type { FunctionShape } from './functions';
import { swiftCalleeName } from './swift';
import { ancestors, contains, descendants, descendantsAround, namedSiblings, stringValue, walkNamed } from './tree';
import { tsConstantValue, tsFoldBoolean, tsFunction, tsPropertyName, tsAssignedProperty } from './ts';

/**
 * Certificate checks: the code that decides whether a server certificate is accepted, per language.
 *
 * - Dart: `badCertificateCallback` / Dio's `validateCertificate` functions (`(cert, host, port)`).
 * - Swift: challenge handlers (a function with a `URLAuthenticationChallenge` parameter, a closure
 *   with a `challenge` parameter) and trust evaluators (`evaluate(_ trust: SecTrust, forHost host: String)`).
 * - TS/JS: `checkServerIdentity` functions and `secureConnect` handlers (`socket.on('secureConnect', …)`,
 *   a `tls.connect(…, callback)` callback that reads `getPeerCertificate()`).
 *
 * For each: whether it compares pins, whether the host decides the result, and whether the platform
 * verifies the host name anyway.
 */
export type CertificateCheckKind =
  | 'badCertificateCallback' | 'validateCertificate'
  | 'challengeHandler' | 'trustEvaluator'
  | 'checkServerIdentity' | 'secureConnect';

export interface CertificateCheck {
  kind: CertificateCheckKind;
  /** The function literal or declaration: where findings about the check go. */
  node: Node;
  /** What runs: the block or expression body. */
  body: Node;
  /** Dart: where the function is bound (`x.badCertificateCallback = …`, `validateCertificate: …`). */
  binding?: DartCallbackBinding;
  /** TS: the function of a `checkServerIdentity`. */
  fn?: FunctionShape;
  /** Comparisons of something with pins (`pins.contains(h)`, `fp == PIN`, `isPinned(cert)`). */
  pinComparisons: Node[];
  /** The host is used other than in logging, printing, interpolation or error messages. */
  hostDecides: boolean;
  /** The platform checks the certificate's host name on this path (`tls.checkServerIdentity`, `SecTrustEvaluateWithError`, system trust). */
  hostnameVerified: boolean;
}

export function certificateChecks(file: SourceFile): CertificateCheck[] {
  return file.fact('certificateChecks', () => {
    switch (file.family) {
      case 'dart':
        return dartChecks(file);
      case 'swift':
        return swiftChecks(file);
      default:
        return tsChecks(file);
    }
  });
}

// ---------------------------------------------------------------- shared vocabulary

/** Words of a name that say it holds or is a pin. */
const PIN_WORD = /^(pins?|pinned|pinning|pinsets?|spkis?|hash(es)?|fingerprints?|fingerprint(1|256)|sha(1|224|256|384|512)|digests?)$/;
/** Words of a function name that say it checks something. */
const CHECK_WORDS = new Set([
  'is', 'has', 'check', 'checks', 'validate', 'validates', 'valid', 'verify', 'verifies', 'match', 'matches',
  'compare', 'evaluate', 'contains', 'accept', 'accepts', 'allow', 'allows', 'allowed', 'trust', 'trusts',
  'trusted', 'ensure', 'ok',
]);
/** Membership calls: `pins.contains(h)`, `PINS.has(fp)`, `pins.some(p => …)`. */
const MEMBERSHIP = new Set(['contains', 'includes', 'has', 'indexOf', 'lastIndexOf', 'any', 'some', 'every', 'find', 'firstWhere', 'where']);
const NOT_PIN_NAMES = new Set(['hashCode', 'hashValue']);
const EQUALITY_OPERATORS = new Set(['==', '!=', '===', '!==']);
/** base64 of a SHA-256/SHA-1 digest (optionally `sha256/`-prefixed), hex or colon-separated hex. */
const PIN_STRING = /^(?:(?:sha256|sha1)\/)?(?:[A-Za-z0-9+/]{43}=|[A-Za-z0-9+/]{27}=)$|^[0-9a-fA-F]{40}$|^[0-9a-fA-F]{64}$|^(?:[0-9A-Fa-f]{2}:){19,63}[0-9A-Fa-f]{2}$/;
/** What every value `PIN_STRING` matches holds: where a pin string can be, without a walk of every string. */
const PIN_STRING_PART = /[A-Za-z0-9+/]{27}=|[0-9a-fA-F]{40}|(?:[0-9A-Fa-f]{2}:){19}[0-9A-Fa-f]{2}/g;

const IDENTIFIER_TYPES = ['identifier', 'simple_identifier', 'property_identifier', 'shorthand_property_identifier', 'type_identifier'];
const STRING_TYPES = ['string_literal', 'line_string_literal', 'multi_line_string_literal', 'string', 'template_string'];
const INTERPOLATION_TYPES = ['template_substitution', 'interpolated_expression', 'identifier_dollar_escaped'];
const LITERAL_TYPES = new Set(['null_literal', 'null', 'nil', 'undefined', 'true', 'false', 'boolean_literal', 'decimal_integer_literal', 'integer_literal', 'number', 'real_literal']);
const LOGGING_CALLS = new Set(['print', 'debugPrint', 'log', 'NSLog', 'os_log', 'printf', 'dump', 'debug', 'trace']);
const LOGGING_RECEIVER_WORDS = new Set(['log', 'logs', 'logger', 'logging', 'console', 'developer', 'os']);

function mentionsPin(name: string): boolean {
  return !NOT_PIN_NAMES.has(name) && nameWords(name).some((w) => PIN_WORD.test(w));
}

/** A name like `isPinned`, `validatePin`, `matchesPin`, `pinMatches`, `checkSpki`. */
export function namesPinCheck(name: string): boolean {
  const words = nameWords(name);
  return words.some((w) => PIN_WORD.test(w)) && words.some((w) => CHECK_WORDS.has(w)) && !NOT_PIN_NAMES.has(name);
}

function looksLikePinString(value: string): boolean {
  return PIN_STRING.test(value);
}

/** Names of same-file declarations (variables, constants, properties) whose value holds a pin-looking string. */
function pinCollectionNames(file: SourceFile): Set<string> {
  return file.fact('pinCollectionNames', () => {
    const names = new Set<string>();
    for (const literal of descendantsAround(file.root, file.text, STRING_TYPES, PIN_STRING_PART)) {
      const value = stringValue(literal);
      if (value === undefined || !looksLikePinString(value)) continue;
      const name = declaredNameAround(literal);
      if (name) names.add(name);
    }
    return names;
  });
}

/** The name a declaration around `node` binds: `final pins = […]`, `let pins: Set<String> = […]`, `const PINS = …`, `pins: […]`. */
function declaredNameAround(node: Node): string | undefined {
  for (const a of ancestors(node)) {
    switch (a.type) {
      case 'static_final_declaration':
      case 'initialized_identifier':
        return a.namedChildren.find((c) => c?.type === 'identifier')?.text;
      case 'initialized_variable_definition':
      case 'variable_declarator':
      case 'public_field_definition':
        return a.childForFieldName('name')?.text;
      case 'property_declaration':
        return descendants(a.childForFieldName('name') ?? a, 'simple_identifier')[0]?.text;
      case 'pair':
        if (a.parent?.parent?.type === 'variable_declarator' || a.parent?.parent?.type === 'pair') continue;
        return tsPropertyName(a);
      case 'function_body':
      case 'class_body':
      case 'statement_block':
      case 'program':
      case 'source_file':
        return undefined;
    }
  }
  return undefined;
}

/** The identifiers in `nodes`, not looking into strings. */
function identifiersIn(nodes: readonly Node[]): Node[] {
  const found: Node[] = [];
  for (const node of nodes) {
    walkNamed(node, (n) => {
      if (STRING_TYPES.includes(n.type)) return false;
      if (IDENTIFIER_TYPES.includes(n.type)) found.push(n);
    });
  }
  return found;
}

/** An expression that is or holds a pin: a pin-looking string, a name mentioning pins, a same-file pin collection. */
function isPinLike(file: SourceFile, nodes: readonly Node[]): boolean {
  const collections = pinCollectionNames(file);
  if (identifiersIn(nodes).some((id) => mentionsPin(id.text) || collections.has(id.text))) return true;
  return nodes.some((n) => [n, ...descendants(n, STRING_TYPES)].some((s) => {
    if (!STRING_TYPES.includes(s.type)) return false;
    const value = stringValue(s);
    return value !== undefined && looksLikePinString(value);
  }));
}

function isLiteral(nodes: readonly Node[]): boolean {
  if (nodes.length !== 1) return false;
  const [n] = nodes;
  if (LITERAL_TYPES.has(n.type) || /^(nil|null|undefined|true|false|-?\d+)$/.test(n.text)) return true;
  return STRING_TYPES.includes(n.type) && stringValue(n) === '';
}

/** `descendants`, with `node` itself first when it is of one of `types` (an expression body can be the match). */
function within(node: Node, types: string | readonly string[]): Node[] {
  const wanted = typeof types === 'string' ? [types] : types;
  return [...(wanted.includes(node.type) ? [node] : []), ...descendants(node, types)];
}

// ---------------------------------------------------------------- calls, per language

/** A call as the checks need it: the called name, its receiver (if any) and its argument nodes. */
interface Call {
  /** The node to report or compare positions with: Dart's argument selector, otherwise the call. */
  node: Node;
  name: string;
  receiver: Node[];
  /** `receiver.length > 0`, without making a Dart call's receiver. */
  hasReceiver: boolean;
  args: Node;
}

function callsIn(family: Family, body: Node): Call[] {
  if (family === 'dart') return dartCalls(body);
  if (family === 'swift') return swiftCalls(body);
  return tsCalls(body);
}

/** Dart call chains are flat sibling runs: `a`, `.b`, `(args)`. The call is the argument selector. */
function dartCalls(body: Node): Call[] {
  const calls: Call[] = [];
  const chainStarts = new Map<readonly Node[], number[]>();
  for (const { siblings, index } of dartSelectors(body)) {
    const selector = siblings[index];
    const part = selector.namedChildren[0];
    if (part?.type !== 'argument_part') continue;
    const args = part.namedChildren.find((c) => c?.type === 'arguments');
    const callee = index > 0 ? siblings[index - 1] : undefined;
    if (!args || !callee) continue;
    const name = callee.type === 'identifier' ? callee.text : dartSelectorName(callee);
    if (!name) continue;
    let starts = chainStarts.get(siblings);
    if (!starts) chainStarts.set(siblings, (starts = dartChainStarts(siblings)));
    calls.push(new DartCall(selector, name, args, siblings, starts[index - 1], index - 1));
  }
  return calls;
}

/**
 * A Dart call, whose receiver is made (and dropped) when a check asks: the receivers of a long
 * chain's calls are its prefixes, quadratic in all (a chain of 12,000 selectors made 555 MB of
 * them). A class, not an object literal with a getter (see `Dates` in engine/analyze.ts).
 */
class DartCall implements Call {
  constructor(
    readonly node: Node,
    readonly name: string,
    readonly args: Node,
    private readonly siblings: readonly Node[],
    /** The receiver is `siblings[from..to)`. */
    private readonly from: number,
    private readonly to: number,
  ) {}

  get hasReceiver(): boolean {
    return this.to > this.from;
  }

  get receiver(): Node[] {
    return this.siblings.slice(this.from, this.to);
  }
}

/**
 * `within(body, 'selector')`, each with its run of siblings: a call's callee and receiver are
 * the siblings before its argument selector, and asking a node for its siblings (or parent)
 * walks from the root each time, quadratic in a long chain (2 s for one fuzzed file).
 */
function dartSelectors(body: Node): { siblings: Node[]; index: number }[] {
  const found: { siblings: Node[]; index: number }[] = [];
  if (body.type === 'selector') {
    const own = namedSiblings(body);
    if (own) found.push(own);
  }
  const stack: { siblings: Node[]; index: number }[] = [];
  const pushChildren = (node: Node) => {
    const children = node.namedChildren.filter((c): c is Node => !!c);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ siblings: children, index: i });
  };
  pushChildren(body);
  for (let item = stack.pop(); item; item = stack.pop()) {
    const node = item.siblings[item.index];
    if (node.type === 'selector') found.push(item);
    pushChildren(node);
  }
  return found;
}

/** `.name` / `?.name` selector → name. */
function dartSelectorName(node: Node): string | undefined {
  if (node.type !== 'selector') return undefined;
  const inner = node.namedChildren[0];
  if (inner?.type !== 'unconditional_assignable_selector' && inner?.type !== 'conditional_assignable_selector') return undefined;
  return inner.namedChildren.find((c) => c?.type === 'identifier')?.text;
}

/**
 * Per sibling, where the flat chain before it begins: `siblings.slice(starts[at], at)` are the
 * selectors before `siblings[at]` (the callee), back to the chain's first (primary) node. One
 * pass for the whole run: walking back from each call was cubic in a long chain (a chain of
 * 12,000 selectors took 36 s).
 */
function dartChainStarts(siblings: readonly Node[]): number[] {
  const starts: number[] = [];
  // The first of the selectors that run up to the sibling before `at` (`at` when there are none).
  let run = 0;
  for (let at = 0; at < siblings.length; at++) {
    // Operators (`&&`, `==`, `+`…) sit in the same flat run: they end the chain.
    const before = siblings[run - 1];
    starts.push(before && before.isNamed && before.type !== 'comment' && !/_operator$/.test(before.type) ? run - 1 : run);
    const type = siblings[at].type;
    if (type !== 'selector' && type !== 'cascade_selector') run = at + 1;
  }
  return starts;
}

function swiftCalls(body: Node): Call[] {
  const calls: Call[] = [];
  for (const call of within(body, 'call_expression')) {
    const name = swiftCalleeName(call);
    const args = call.namedChildren.find((c) => c?.type === 'call_suffix');
    if (!name || !args) continue;
    const callee = call.namedChildren[0];
    const target = callee?.type === 'navigation_expression' ? callee.childForFieldName('target') : null;
    calls.push({ node: call, name, receiver: target ? [target] : [], hasReceiver: !!target, args });
  }
  return calls;
}

function tsCalls(body: Node): Call[] {
  const calls: Call[] = [];
  for (const call of within(body, ['call_expression', 'new_expression'])) {
    const callee = call.childForFieldName('function') ?? call.childForFieldName('constructor');
    const args = call.childForFieldName('arguments');
    if (!callee || !args) continue;
    if (callee.type === 'identifier') calls.push({ node: call, name: callee.text, receiver: [], hasReceiver: false, args });
    else if (callee.type === 'member_expression') {
      const property = callee.childForFieldName('property');
      const object = callee.childForFieldName('object');
      if (property) calls.push({ node: call, name: property.text, receiver: object ? [object] : [], hasReceiver: !!object, args });
    }
  }
  return calls;
}

function isLoggingCall(call: Call): boolean {
  if (LOGGING_CALLS.has(call.name) && !call.hasReceiver) return true;
  if (call.name === 'log' || call.name === 'os_log') return true;
  return identifiersIn(call.receiver).some((id) => nameWords(id.text).some((w) => LOGGING_RECEIVER_WORDS.has(w)));
}

/** `Exception('…')`, `new Error(…)`, `HandshakeException(…)`, `PinningError.mismatch(host: …)`. */
function isErrorConstruction(call: Call): boolean {
  if (/(Error|Exception)$/.test(call.name)) return true;
  const last = identifiersIn(call.receiver).at(-1);
  return !!last && /(Error|Exception)$/.test(last.text);
}

// ---------------------------------------------------------------- pin comparisons

/**
 * Pin comparisons inside `body` (nested closures included). A call of a same-file function that
 * compares pins (`_pinned(host, cert)`) counts as one.
 */
export function pinComparisons(file: SourceFile, body: Node, depth = 0): Node[] {
  const found: Node[] = [];
  for (const call of callsIn(file.family, body)) {
    if (MEMBERSHIP.has(call.name) && call.hasReceiver) {
      if (isPinLike(file, call.receiver) || (isPinLike(file, [call.args]) && !isFilledCollection(file, call.receiver))) found.push(call.node);
    } else if (namesPinCheck(call.name)) {
      found.push(call.node);
    } else if (CHECK_WORDS.has(nameWords(call.name)[0] ?? '') && call.hasReceiver &&
      identifiersIn(call.receiver).some((id) => mentionsPin(id.text))) {
      // `PinValidator.validate(cert)`, `pinning.check(trust)`.
      found.push(call.node);
    } else if (!call.hasReceiver && depth < 2) {
      const callee = sameFileFunctionBody(file, call.name);
      if (callee && !contains(callee, body) && pinComparisons(file, callee, depth + 1).length > 0) found.push(call.node);
    }
  }
  // `cert.pem == pinnedPem` (Dart): the whole certificate is the pin.
  const certificateComparisons = file.family === 'dart' ? new Set(dartCertificateComparisons(file).map((c) => c.comparison.id)) : undefined;
  for (const [node, left, right] of equalities(file.family, body)) {
    const pinLike = isPinLike(file, left) || isPinLike(file, right) || !!certificateComparisons?.has(node.id);
    if (pinLike && !isLiteral(left) && !isLiteral(right)) found.push(node);
  }
  return found.sort((a, b) => a.startIndex - b.startIndex);
}

/**
 * A collection named by one identifier that the file adds to (`seen.add(cert.fingerprint256)`):
 * a set of what a walk of the chain has visited, not of pins, though a fingerprint is looked up in it.
 */
function isFilledCollection(file: SourceFile, receiver: readonly Node[]): boolean {
  return receiver.length === 1 && IDENTIFIER_TYPES.includes(receiver[0].type) && filledLater(file.text, receiver[0].text);
}

/** The body of the file's first function or method named `name`, found from the name's occurrences. */
function sameFileFunctionBody(file: SourceFile, name: string): Node | undefined {
  return file.fact(`functionBody.${name}`, () => {
    const around = (types: string[]) => descendantsAround(file.root, file.text, types, [name]);
    if (file.family === 'dart') {
      const declaration = dartDeclaration(file, name);
      return declaration?.type === 'function_body' ? declaration : undefined;
    }
    const bodyIfNamed = (fn: Node) => (fn.childForFieldName('name')?.text === name ? fn.childForFieldName('body') ?? undefined : undefined);
    const first = (nodes: Node[]) => nodes.map(bodyIfNamed).find((body) => body !== undefined);
    if (file.family === 'swift') return first(around(['function_declaration']));
    const declared = first(around(['function_declaration', 'method_definition']));
    if (declared) return declared;
    for (const d of around(['variable_declarator']).filter((d) => d.childForFieldName('name')?.text === name)) {
      const value = d.childForFieldName('value');
      if (value && (value.type === 'arrow_function' || value.type === 'function_expression' || value.type === 'function')) {
        return value.childForFieldName('body') ?? undefined;
      }
    }
    return undefined;
  });
}

/** `a == b` / `a != b` / `===` / `!==` with their operands. */
function equalities(family: Family, body: Node): [Node, Node[], Node[]][] {
  const found: [Node, Node[], Node[]][] = [];
  if (family === 'dart') {
    for (const e of within(body, 'equality_expression')) {
      const children = e.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      const at = children.findIndex((c) => c.type === 'equality_operator');
      if (at > 0) found.push([e, children.slice(0, at), children.slice(at + 1)]);
    }
  } else if (family === 'swift') {
    for (const e of within(body, ['equality_expression', 'infix_expression'])) {
      const op = e.childForFieldName('op')?.text ?? e.children.find((c) => c && !c.isNamed)?.text;
      const lhs = e.childForFieldName('lhs');
      const rhs = e.childForFieldName('rhs');
      if (lhs && rhs && (e.type === 'equality_expression' || (op && EQUALITY_OPERATORS.has(op)))) found.push([e, [lhs], [rhs]]);
    }
  } else {
    for (const e of within(body, 'binary_expression')) {
      const op = e.childForFieldName('operator')?.text;
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      if (op && EQUALITY_OPERATORS.has(op) && left && right) found.push([e, [left], [right]]);
    }
  }
  return found;
}

// ---------------------------------------------------------------- host use

/**
 * Whether one of `references` (to the host) decides something: anything but logging, printing,
 * interpolation into a message, an error's text, or a local copy (whose own uses count instead).
 */
function hostDecides(file: SourceFile, body: Node, references: Node[], isReference: (n: Node) => boolean): boolean {
  const calls = callsIn(file.family, body);
  const seen = new Set<number>();
  const queue = [...references];
  while (queue.length > 0) {
    const ref = queue.shift()!;
    if (seen.has(ref.id)) continue;
    seen.add(ref.id);
    const alias = aliasDeclaredBy(file.family, ref);
    if (alias) {
      queue.push(...nameReferences(body, alias).filter((n) => n.startIndex > ref.startIndex && !isReference(n)));
      continue;
    }
    if (decides(file, ref, calls)) return true;
  }
  return false;
}

function decides(file: SourceFile, ref: Node, calls: Call[]): boolean {
  // Climb through string building: `'$host'`, `"\(host)"`, `${host}`, `'x ' + host`.
  let expression = ref;
  let inString = false;
  for (let p = ref.parent; p; p = p.parent) {
    const isConcatenation = (p.type === 'binary_expression' || p.type === 'additive_expression') &&
      (p.childForFieldName('operator') ?? p.childForFieldName('op') ?? p.children.find((c) => c && /operator$/.test(c.type)))?.text === '+' &&
      p.namedChildren.some((c) => !!c && STRING_TYPES.includes(c.type));
    if (!INTERPOLATION_TYPES.includes(p.type) && !STRING_TYPES.includes(p.type) && !isConcatenation) break;
    expression = p;
    inString = true;
  }
  if (INTERPOLATION_TYPES.includes(ref.type)) inString = true;
  if (calls.some((c) => contains(c.args, expression) && (isLoggingCall(c) || isErrorConstruction(c)))) return false;
  // `tls.checkServerIdentity(host, cert);` whose error is dropped.
  if (file.family === 'ts' && calls.some((c) => c.name === 'checkServerIdentity' && contains(c.args, ref) &&
    c.node.parent?.type === 'expression_statement')) return false;
  if (!inString) return true;
  // A built string decides only as a key or operand: `pins['$host:443']`, `allowed.contains("\(host)")`.
  const parent = expression.parent;
  if (!parent) return false;
  if (['index_selector', 'subscript_expression', 'equality_expression', 'binary_expression'].includes(parent.type)) return true;
  return calls.some((c) => MEMBERSHIP.has(c.name) && contains(c.args, expression)) ||
    (file.family === 'swift' && parent.type === 'value_argument' && parent.parent?.text.startsWith('[') === true);
}

/** Transformations that keep a copy of the host a host: `.toLowerCase()`, `!`, `?? ''`. */
const ALIAS_SUFFIX = /^(\?|!)?(\??\.(lowercased|uppercased|toLowerCase|toUpperCase|trim|trimmed)\(\))*(\?\?("[^"]*"|'[^']*'))?$/;

/** When `ref` is the whole value of a local declaration (`let host = challenge.protectionSpace.host`), the declared name. */
function aliasDeclaredBy(family: Family, ref: Node): string | undefined {
  const compact = (s: string) => s.replace(/\s+/g, '');
  const refText = compact(ref.text);
  for (const a of ancestors(ref)) {
    if (family === 'dart' && a.type === 'initialized_variable_definition') {
      const values = a.childrenForFieldName('value').filter((c): c is Node => !!c);
      const valueText = compact(values.map((v) => v.text).join(''));
      const name = a.childForFieldName('name')?.text;
      return name && valueText.startsWith(refText) && ALIAS_SUFFIX.test(valueText.slice(refText.length)) ? name : undefined;
    }
    if (family === 'swift' && a.type === 'property_declaration') {
      const value = a.childForFieldName('value');
      const name = descendants(a.childForFieldName('name') ?? a, 'simple_identifier')[0]?.text;
      if (!value || !name) return undefined;
      const valueText = compact(value.text);
      return valueText.startsWith(refText) && ALIAS_SUFFIX.test(valueText.slice(refText.length)) ? name : undefined;
    }
    if (family === 'swift' && (a.type === 'if_statement' || a.type === 'guard_statement')) {
      // `if let host = task.currentRequest?.url?.host` is flat: binding pattern, bound name, value.
      const condition = a.namedChildren.find((c): c is Node => !!c && contains(c, ref));
      const bound = condition?.previousNamedSibling;
      if (!condition || bound?.type !== 'simple_identifier' || bound.previousNamedSibling?.type !== 'value_binding_pattern') return undefined;
      const valueText = compact(condition.text);
      return valueText.startsWith(refText) && ALIAS_SUFFIX.test(valueText.slice(refText.length)) ? bound.text : undefined;
    }
    if (family === 'ts' && a.type === 'variable_declarator') {
      const value = a.childForFieldName('value');
      const name = a.childForFieldName('name');
      if (!value || name?.type !== 'identifier') return undefined;
      const valueText = compact(value.text);
      return valueText.startsWith(refText) && ALIAS_SUFFIX.test(valueText.slice(refText.length)) ? name.text : undefined;
    }
    if (['block', 'statements', 'statement_block', 'function_body', 'lambda_literal', 'function_expression_body'].includes(a.type)) return undefined;
  }
  return undefined;
}

/** References to a parameter or local name in `body`, nested functions included. */
function nameReferences(body: Node, name: string | undefined): Node[] {
  if (!name || name === '_' || /^_+$/.test(name)) return [];
  return within(body, [...IDENTIFIER_TYPES, 'identifier_dollar_escaped'])
    .filter((n) => n.text === name || (n.type === 'identifier_dollar_escaped' && n.text.replace(/^\$/, '') === name))
    .filter((n) => n.type !== 'property_identifier' && !isPropertyName(n));
}

/** `x.host` in Dart: the `host` of a selector is a property, not the variable. */
function isPropertyName(n: Node): boolean {
  const p = n.parent;
  return !!p && (p.type === 'unconditional_assignable_selector' || p.type === 'conditional_assignable_selector' ||
    p.type === 'navigation_suffix' || p.type === 'label' || p.type === 'value_argument_label');
}

// ---------------------------------------------------------------- Dart

function dartChecks(file: SourceFile): CertificateCheck[] {
  const checks: CertificateCheck[] = [];
  for (const binding of dartCallbackBindings(file)) {
    if (binding.name !== 'badCertificateCallback' && binding.name !== 'validateCertificate') continue;
    const fn = dartFunction(file, binding.value);
    const body = fn?.block ?? fn?.expression;
    if (!fn || !body) continue;
    const references = nameReferences(body, fn.params[1]);
    checks.push({
      kind: binding.name,
      node: fn.node,
      body,
      binding,
      fn,
      pinComparisons: pinComparisons(file, body),
      hostDecides: hostDecides(file, body, references, (n) => n.text === fn.params[1]),
      hostnameVerified: binding.name === 'validateCertificate' && dioValidatesAfterHostnameCheck(file, binding),
    });
  }
  return checks;
}

/**
 * `SecurityContext(…)` without `withTrustedRoots: true` (the constructor's default is false),
 * in `scope` or in a same-file declaration `scope` names.
 */
export function dartBuildsRootlessContext(file: SourceFile, scope: Node, depth = 0): boolean {
  const identifiers = descendants(scope, 'identifier');
  // The constructions in `scope` first: the answer is the same in any order, and one found here
  // spares looking up the declaration of every other name (a walk of the file for a common one).
  for (const id of identifiers) {
    if (id.text !== 'SecurityContext') continue;
    const next = id.nextNamedSibling;
    const args = next?.type === 'selector' && next.namedChildren[0]?.type === 'argument_part'
      ? next.namedChildren[0].namedChildren.find((c) => c?.type === 'arguments') : undefined;
    if (!args) continue; // SecurityContext.defaultContext, a type annotation
    const roots = dartNamedArgumentNode(args, 'withTrustedRoots');
    if (!roots || roots.namedChildren.at(-1)?.type === 'false') return true;
  }
  if (depth >= 2) return false;
  for (const id of identifiers) {
    if (id.text === 'SecurityContext') continue;
    const declaration = dartDeclaration(file, id.text);
    if (declaration && !contains(declaration, scope) && !contains(scope, declaration) &&
      dartBuildsRootlessContext(file, declaration, depth + 1)) return true;
  }
  return false;
}

/**
 * The same file's top-level or member variable or function named `name`: the node holding its
 * value or body (a variable before a function). Found from the name's occurrences.
 */
function dartDeclaration(file: SourceFile, name: string): Node | undefined {
  return file.fact(`dart.declaration.${name}`, () => {
    const local = (n: Node) => [...ancestors(n)].some((a) => a.type === 'function_body' || a.type === 'function_expression_body');
    const around = (types: string[]) => descendantsAround(file.root, file.text, types, [name]);
    for (const d of around(['static_final_declaration', 'initialized_identifier'])) {
      if (d.namedChildren.find((c) => c?.type === 'identifier')?.text === name && !local(d)) return d;
    }
    for (const signature of around(['function_signature', 'getter_signature'])) {
      const signatureName = signature.childForFieldName('name')?.text ?? signature.namedChildren.find((c) => c?.type === 'identifier')?.text;
      if (signatureName !== name || local(signature)) continue;
      const holder = signature.parent?.type === 'method_signature' ? signature.parent : signature;
      const body = signature.parent?.type === 'lambda_expression' ? signature.parent.childForFieldName('body') : holder.nextNamedSibling;
      if (body?.type === 'function_body') return body;
    }
    return undefined;
  });
}

/** The function body (or top-level declaration) the binding site sits in, with the function's parameter names. */
function dartEnclosingScope(site: Node): { scope: Node; params: string[]; fn?: Node } {
  let last = site;
  for (const a of ancestors(site)) {
    if (a.type === 'function_expression_body' && a.parent?.type === 'function_expression') {
      return { scope: a, params: dartParameterNames(a.parent.childForFieldName('parameters')), fn: a.parent };
    }
    if (a.type === 'function_body') {
      const holder = a.parent?.type === 'lambda_expression' ? a.parent.childForFieldName('parameters') : a.previousNamedSibling;
      const signature = holder?.type === 'method_signature' ? holder.namedChildren[0] : holder;
      const params = signature?.namedChildren.find((c) => c?.type === 'formal_parameter_list') ?? null;
      return { scope: a, params: dartParameterNames(params), fn: signature ?? undefined };
    }
    if (a.type === 'program' || a.type === 'class_body') return { scope: last, params: [] };
    last = a;
  }
  return { scope: last, params: [] };
}

function dartParameterNames(list: Node | null | undefined): string[] {
  if (!list) return [];
  return descendants(list, 'formal_parameter', ['formal_parameter']).map(
    (p) => (p.childForFieldName('name') ?? p.namedChildren.filter((c) => c?.type === 'identifier').at(-1))?.text ?? '',
  );
}

/**
 * Whether the `HttpClient` (or socket) whose `badCertificateCallback` / `onBadCertificate` this is
 * trusts the system roots: true when visibly so, false when a root-less context is built, undefined
 * when we cannot tell (the client or its context comes from a parameter or another file).
 */
export function dartClientTrustsSystemRoots(file: SourceFile, binding: DartCallbackBinding): boolean | undefined {
  if (binding.name === 'onBadCertificate') {
    // `SecureSocket.connect(host, port, context: …, onBadCertificate: …)`: no context is the default context.
    const args = binding.site.type === 'named_argument' ? binding.site.parent : null;
    if (!args) return undefined;
    const grpcRoots = grpcCredentialsTrustSystemRoots(args);
    if (grpcRoots !== undefined) return grpcRoots;
    const context = dartNamedArgumentNode(args, 'context');
    if (!context) return true;
    return dartContextTrustsRoots(file, context, context, []);
  }
  const { scope, params, fn } = dartEnclosingScope(binding.site);
  if (dartBuildsRootlessContext(file, scope)) return false;
  // HttpOverrides.createHttpClient's `context` is null unless the app passes one: the default context.
  const enclosingClass = fn ? dartEnclosingClass(fn) : undefined;
  const overrideContext = fn?.childForFieldName('name')?.text === 'createHttpClient' && !!enclosingClass?.superclass?.includes('HttpOverrides')
    ? params[0] : undefined;
  const known = params.filter((p) => p !== overrideContext);
  for (const argument of descendants(scope, 'named_argument')) {
    if (dartLabel(argument) === 'context' && dartContextTrustsRoots(file, argument, scope, known) === undefined) return undefined;
  }
  const receiver = dartReceiverName(binding);
  if (!receiver) return true; // a cascade on a visible construction: `HttpClient()..badCertificateCallback = …`
  const local = descendants(scope, 'initialized_variable_definition').find((d) => d.childForFieldName('name')?.text === receiver);
  if (local) return dartConstructsClient(file, local) ? true : undefined;
  if (params.includes(receiver)) {
    // Dio 4: `onHttpClientCreate = (client) { … }` gets the adapter's default `HttpClient()`.
    return fn && dartBoundTo(fn) === 'onHttpClientCreate' ? true : undefined;
  }
  const declaration = dartDeclaration(file, receiver);
  if (!declaration) return undefined;
  if (dartBuildsRootlessContext(file, declaration)) return false;
  return dartConstructsClient(file, declaration) ? true : undefined;
}

/** Where the HttpClient a callback is set on is made (`final client = HttpClient();`), when the file shows it. */
export function dartClientConstruction(file: SourceFile, binding: DartCallbackBinding): Node | undefined {
  const receiver = binding.name === 'badCertificateCallback' ? dartReceiverName(binding) : undefined;
  if (!receiver) return undefined;
  const { scope } = dartEnclosingScope(binding.site);
  const local = descendants(scope, 'initialized_variable_definition').find((d) => d.childForFieldName('name')?.text === receiver);
  const declaration = local ?? dartDeclaration(file, receiver);
  return declaration && dartConstructsClient(file, declaration) ? declaration : undefined;
}

function dartLabel(argument: Node): string | undefined {
  const label = argument.namedChildren[0];
  return label?.type === 'label' ? label.text.replace(/\s*:$/, '') : undefined;
}

/** The `name: value` argument itself (its value may be a flat chain of several nodes). */
function dartNamedArgumentNode(list: Node, name: string): Node | undefined {
  return list.namedChildren.find((c): c is Node => c?.type === 'named_argument' && dartLabel(c) === name);
}

/**
 * A `context: …` argument: false when it builds a root-less context, true for the default
 * context or null, undefined for a parameter in `unknown` or anything we cannot follow.
 */
function dartContextTrustsRoots(file: SourceFile, argument: Node, scope: Node, unknown: string[], depth = 0): boolean | undefined {
  if (dartBuildsRootlessContext(file, argument)) return false;
  const parts = argument.namedChildren.filter((c): c is Node => !!c && c.type !== 'label' && c.type !== 'comment');
  const value = parts.map((p) => p.text).join('').replace(/\s+/g, '');
  if (/^(SecurityContext\.defaultContext|null|SecurityContext\(withTrustedRoots:true\))$/.test(value)) return true;
  if (parts.length !== 1 || parts[0].type !== 'identifier' || depth > 2) return undefined;
  const name = parts[0].text;
  if (unknown.includes(name)) return undefined;
  const local = descendants(scope, 'initialized_variable_definition').find((d) => d.childForFieldName('name')?.text === name);
  const declaration = local ?? dartDeclaration(file, name);
  if (!declaration) return undefined;
  return dartContextTrustsRoots(file, declaration, scope, unknown, depth + 1);
}

/** `HttpClient(…)` / `createHttpClient(…)` in `node` or in a same-file function it calls. */
function dartConstructsClient(file: SourceFile, node: Node, depth = 0): boolean {
  if (/\bHttpClient\s*\(|\bcreateHttpClient\s*\(/.test(node.text)) return true;
  if (depth > 1) return false;
  return descendants(node, 'identifier').some((id) => {
    const declaration = dartDeclaration(file, id.text);
    return !!declaration && !contains(declaration, node) && dartConstructsClient(file, declaration, depth + 1);
  });
}

/** `client` in `client.badCertificateCallback = …` or `client..badCertificateCallback = …`. */
function dartReceiverName(binding: DartCallbackBinding): string | undefined {
  if (binding.site.type === 'assignment_expression') {
    const left = binding.site.childForFieldName('left');
    const parts = left?.namedChildren.filter((c): c is Node => !!c) ?? [];
    return parts.length === 2 && parts[0].type === 'identifier' ? parts[0].text : undefined;
  }
  if (binding.site.type === 'cascade_section') {
    // Skip the cascade's other sections: `client..findProxy = f..badCertificateCallback = …`.
    let last = binding.site.previousNamedSibling;
    while (last?.type === 'cascade_section' || last?.type === 'comment') last = last.previousNamedSibling;
    return last?.type === 'identifier' ? last.text : undefined;
  }
  return undefined;
}

/** The property or named argument a function literal is bound to: `onHttpClientCreate: (client) {…}`. */
function dartBoundTo(fn: Node): string | undefined {
  const site = fn.parent;
  if (site?.type === 'named_argument') return site.namedChildren[0]?.text.replace(/:$/, '');
  if (site?.type === 'cascade_section' && site.namedChildren[0]?.type === 'cascade_selector') return site.namedChildren[0].text.replace(/^\?/, '');
  if (site?.type === 'assignment_expression') {
    const left = site.childForFieldName('left');
    const selector = left?.namedChildren.at(-1);
    return selector?.type === 'unconditional_assignable_selector' ? selector.namedChildren[0]?.text : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------- Swift

const SWIFT_TRUST_EVALUATION = new Set(['SecTrustEvaluateWithError', 'SecTrustEvaluate', 'SecTrustEvaluateAsyncWithError', 'SecTrustEvaluateAsync']);

/** A handler names its challenge (`challenge`, `URLAuthenticationChallenge`) or its host (`forHost`). */
const SWIFT_HANDLER_WORDS = ['challenge', 'Challenge', 'forHost'];

function swiftChecks(file: SourceFile): CertificateCheck[] {
  const checks: CertificateCheck[] = [];
  for (const node of descendantsAround(file.root, file.text, ['function_declaration', 'lambda_literal'], SWIFT_HANDLER_WORDS)) {
    if (checks.some((c) => contains(c.node, node))) continue; // a closure inside a handler is part of it
    const body = node.type === 'function_declaration'
      ? node.childForFieldName('body')
      : node.namedChildren.find((c) => c?.type === 'statements');
    if (!body) continue;
    const evaluatorHost = swiftEvaluatorHost(node);
    const challenge = evaluatorHost === undefined ? swiftChallengeParameter(node) : undefined;
    if (evaluatorHost === undefined && challenge === undefined) continue;
    const references = evaluatorHost !== undefined
      ? nameReferences(body, evaluatorHost)
      : within(body, 'navigation_expression').filter((n) => n.childForFieldName('suffix')?.text.replace(/^\??\./, '') === 'host');
    checks.push({
      kind: evaluatorHost !== undefined ? 'trustEvaluator' : 'challengeHandler',
      node,
      body,
      pinComparisons: pinComparisons(file, body),
      hostDecides: hostDecides(file, body, references, (n) => n.text === evaluatorHost),
      hostnameVerified: swiftEvaluatesTrust(body) || (challenge !== undefined && calledOnlyAfterEvaluation(file, node)),
    });
  }
  return checks;
}

/**
 * A helper with a challenge parameter (`func evaluate(challenge:trust:completionHandler:)`) that
 * this file calls, and calls only from functions that evaluate the trust themselves (a delegate
 * that awaits `SecTrustEvaluateAsyncWithError` and hands on the evaluated trust): the host name
 * was verified before it runs.
 */
function calledOnlyAfterEvaluation(file: SourceFile, helper: Node): boolean {
  const name = helper.type === 'function_declaration' ? helper.childForFieldName('name')?.text : undefined;
  if (!name) return false;
  const calls = descendantsAround(file.root, file.text, ['call_expression'], [name]).filter((c) => swiftCalleeName(c) === name && !contains(helper, c));
  return calls.length > 0 && calls.every((call) => {
    const caller = [...ancestors(call)].find((a) => a.type === 'function_declaration');
    const body = caller?.childForFieldName('body');
    return !!body && swiftEvaluatesTrust(body);
  });
}

/** `func evaluate(_ trust: SecTrust, forHost host: String)`: the host parameter's name. */
function swiftEvaluatorHost(node: Node): string | undefined {
  if (node.type !== 'function_declaration' || node.childForFieldName('name')?.text !== 'evaluate') return undefined;
  const params = node.namedChildren.filter((c): c is Node => c?.type === 'parameter');
  if (params.length !== 2 || !/\bSecTrust\b/.test(params[0].text)) return undefined;
  const host = params[1];
  if (host.childForFieldName('external_name')?.text !== 'forHost') return undefined;
  return host.childForFieldName('name')?.text;
}

/** A function with a `URLAuthenticationChallenge` parameter, or a closure with a `challenge` parameter. */
function swiftChallengeParameter(node: Node): string | undefined {
  if (node.type === 'function_declaration') {
    const param = node.namedChildren.find((c) => c?.type === 'parameter' && /\bURLAuthenticationChallenge\b/.test(c.text));
    return param?.childForFieldName('name')?.text;
  }
  const type = node.childForFieldName('type');
  const params = type ? descendants(type, 'lambda_parameter') : [];
  const param = params.find((p) => p.childForFieldName('name')?.text === 'challenge' || /\bURLAuthenticationChallenge\b/.test(p.text));
  return param?.childForFieldName('name')?.text;
}

/** `SecTrustEvaluateWithError(trust, …)` whose result is used, with the challenge's own policies (no `SecTrustSetPolicies`). */
function swiftEvaluatesTrust(body: Node): boolean {
  const calls = swiftCalls(body);
  if (calls.some((c) => c.name === 'SecTrustSetPolicies')) return false;
  return calls.some((c) => {
    if (!SWIFT_TRUST_EVALUATION.has(c.name)) return false;
    // The async forms hand the verdict to their closure.
    if (c.name.startsWith('SecTrustEvaluateAsync')) return true;
    const parent = c.node.parent;
    if (parent?.type === 'statements') return false;
    return !(parent?.type === 'assignment' && parent.childForFieldName('target')?.text === '_');
  });
}

// ---------------------------------------------------------------- TS / JS

const SECURE_CONNECT_LISTENERS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
const HOST_NAMES = new Set(['host', 'hostname', 'servername']);

function tsChecks(file: SourceFile): CertificateCheck[] {
  const checks: CertificateCheck[] = [];
  const add = (check: CertificateCheck) => {
    if (!checks.some((c) => c.node.id === check.node.id)) checks.push(check);
  };
  for (const node of descendantsAround(file.root, file.text, ['pair', 'shorthand_property_identifier', 'method_definition', 'assignment_expression'], ['checkServerIdentity'])) {
    const name = node.type === 'assignment_expression' ? tsAssignedProperty(node) : tsPropertyName(node);
    if (name !== 'checkServerIdentity') continue;
    const value = node.type === 'assignment_expression' ? node.childForFieldName('right')
      : node.type === 'pair' ? node.childForFieldName('value')
      : node;
    const fn = value && tsFunction(file, value);
    const body = fn?.block ?? fn?.expression;
    if (!fn || !body) continue;
    const host = fn.params[0]?.replace(/[?:].*$/, '');
    add({
      kind: 'checkServerIdentity',
      node: fn.node,
      body,
      fn,
      pinComparisons: pinComparisons(file, body),
      hostDecides: hostDecides(file, body, nameReferences(body, host), (n) => n.text === host),
      hostnameVerified: tsCallsCheckServerIdentity(body),
    });
  }
  // `x.on('secureConnect', fn)` and `tls.connect(…, fn)`.
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], ['connect', 'Connect'])) {
    const handler = tsSecureConnectHandler(file, call);
    if (!handler) continue;
    const body = handler.fn.block ?? handler.fn.expression;
    if (!body) continue;
    const references = within(body, ['identifier', 'property_identifier', 'shorthand_property_identifier'])
      .filter((n) => HOST_NAMES.has(n.text) && !(n.parent?.type === 'pair' && n.parent.childForFieldName('key')?.id === n.id));
    add({
      kind: 'secureConnect',
      node: handler.fn.node,
      body,
      fn: handler.fn,
      pinComparisons: pinComparisons(file, body),
      hostDecides: hostDecides(file, body, references, (n) => HOST_NAMES.has(n.text)),
      hostnameVerified: handler.verifiesHostname ||
        descendants(body, 'property_identifier').some((p) => p.text === 'authorized' || p.text === 'authorizationError'),
    });
  }
  return checks;
}

/** `socket.on('secureConnect', fn)`, or `tls.connect(…, fn)` whose `fn` reads `getPeerCertificate()`. */
function tsSecureConnectHandler(file: SourceFile, call: Node): { fn: FunctionShape; verifiesHostname: boolean } | undefined {
  const callee = call.childForFieldName('function');
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
  const method = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : callee?.text;
  if (!callee || !method) return undefined;
  if (SECURE_CONNECT_LISTENERS.has(method) && args.length >= 2 && args[0].type === 'string' && stringValue(args[0]) === 'secureConnect') {
    const fn = tsFunction(file, args[1]);
    const object = callee.childForFieldName('object');
    const connect = object?.type === 'identifier' ? tsConstantValue(file, object) : undefined;
    const verifiesHostname = connect?.type === 'call_expression' ? tsConnectVerifiesHostname(file, connect) : true;
    return fn ? { fn, verifiesHostname } : undefined;
  }
  if (method !== 'connect' || args.length === 0) return undefined;
  const fn = tsFunction(file, args[args.length - 1]);
  const body = fn?.block ?? fn?.expression;
  if (!fn || !body || !descendants(body, 'property_identifier').some((p) => p.text === 'getPeerCertificate')) return undefined;
  return { fn, verifiesHostname: tsConnectVerifiesHostname(file, call) };
}

/**
 * Node checks the host name before `secureConnect` unless `rejectUnauthorized` is false.
 * Options we cannot see count as checking: we say nothing then.
 */
function tsConnectVerifiesHostname(file: SourceFile, connect: Node): boolean {
  for (const arg of connect.childForFieldName('arguments')?.namedChildren ?? []) {
    const options = arg?.type === 'identifier' ? tsConstantValue(file, arg) : arg;
    if (options?.type !== 'object') continue;
    for (const property of options.namedChildren) {
      if (!property || tsPropertyName(property) !== 'rejectUnauthorized') continue;
      const value = property.type === 'pair' ? property.childForFieldName('value') : property;
      if (value && tsFoldBoolean(file, value) === false) return false;
    }
  }
  return true;
}

/** `tls.checkServerIdentity(host, cert)` (or an imported `checkServerIdentity`) whose result is used. */
function tsCallsCheckServerIdentity(body: Node): boolean {
  return tsCalls(body).some((c) => c.name === 'checkServerIdentity' && c.node.parent?.type !== 'expression_statement');
}
