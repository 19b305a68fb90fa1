/**
 * pin-check-bypassed-by-trusted-ca: make every certificate reach the pin check. Dio gets its
 * documented pattern (pins in `validateCertificate`, which sees the leaf); a plain `dart:io`
 * client or socket is built with `SecurityContext(withTrustedRoots: false)`.
 */
import type { Node } from 'web-tree-sitter';
import { dartArgumentListHolding, dartCallbackBindings, dartFunction, type DartCallbackBinding } from '../facts/dart';
import { dartParts, dartSelectorArguments } from '../facts/digests';
import { ancestors, descendants } from '../facts/tree';
import type { DraftFix, FixContext } from './context';
import { indentationAt, insertAtBlockTop, isBlank, lineStartOf } from './text';
import type { OffsetEdit } from './types';

const ROOTLESS = 'SecurityContext(withTrustedRoots: false)';
/** `context:` values that keep the system roots, and may be replaced. */
const TRUSTING_CONTEXT = /^(SecurityContext\.defaultContext|null|SecurityContext\(withTrustedRoots:true\))$/;

export function pinCheckBypassedByTrustedCaFixes(context: FixContext): DraftFix[] {
  const binding = dartCallbackBindings(context.file).find((b) => context.isFindingNode(b.site));
  if (!binding) return [];
  if (context.fixKind === 'dart.dioValidateCertificate') {
    const edits = dioDocumentedPattern(context, binding);
    return edits ? [{
      title: 'Use Dio\'s documented pattern: check the pins in validateCertificate (it sees the leaf), build the client with SecurityContext(withTrustedRoots: false) and let badCertificateCallback accept the chain',
      preferred: true,
      edits,
    }] : [];
  }
  const edit = binding.site.type === 'named_argument' ? rootlessArgumentBeside(context, binding.site) : rootlessClient(binding);
  return edit ? [{
    title: `Build the ${binding.name === 'onBadCertificate' ? 'socket' : 'client'} with ${ROOTLESS} — the callback then sees the top certificate the server sends (an intermediate or root, not the leaf), so the pin set must hold that certificate's key`,
    preferred: true,
    edits: [edit],
  }] : [];
}

// ---------------------------------------------------------------- the client's construction

/** The `arguments` of the `HttpClient(…)` that `binding` sets its callback on, when we can see it. */
function clientArguments(binding: DartCallbackBinding): Node | undefined {
  const { site } = binding;
  if (site.type === 'cascade_section') {
    // `HttpClient(…)..a = …..badCertificateCallback = …`: the run before the sections.
    let before = site.previousNamedSibling;
    while (before && (before.type === 'cascade_section' || before.type === 'comment')) before = before.previousNamedSibling;
    return httpClientCall(before ? [before.previousNamedSibling, before].filter((n): n is Node => !!n) : []);
  }
  if (site.type !== 'assignment_expression') return undefined;
  const left = dartParts(site.childForFieldName('left')!);
  if (left.length !== 2 || left[0].type !== 'identifier') return undefined;
  const receiver = left[0].text;
  // The nearest declaration of the receiver: the enclosing functions' locals, then the class's fields, then the file's.
  for (const scope of [...ancestors(site)].filter((a) => ['function_body', 'class_body', 'program'].includes(a.type))) {
    const declared = declarationValue(scope, receiver, site);
    if (declared !== undefined) return httpClientCall(declared);
  }
  return undefined;
}

/** The value parts of `final name = …` / `final T name = …` declared in `scope` (not in nested functions) before `site`. */
function declarationValue(scope: Node, name: string, site: Node): Node[] | undefined {
  const nested = scope.type === 'program' ? ['function_body', 'class_body'] : scope.type === 'class_body' ? ['function_body'] : [];
  for (const d of descendants(scope, ['initialized_variable_definition', 'initialized_identifier'], nested)) {
    if (d.startIndex > site.startIndex) continue;
    if (d.type === 'initialized_variable_definition') {
      if (d.childForFieldName('name')?.text === name) return d.childrenForFieldName('value').filter((v): v is Node => !!v);
    } else {
      const [id, ...value] = dartParts(d);
      if (id?.text === name) return value;
    }
  }
  return undefined;
}

/** `HttpClient(…)` as the first two parts of a run → its `arguments` node. */
function httpClientCall(parts: Node[]): Node | undefined {
  const [callee, call] = parts;
  if (callee?.type !== 'identifier' || callee.text !== 'HttpClient' || !dartSelectorArguments(call)) return undefined;
  return call!.namedChildren.find((c) => c?.type === 'argument_part')?.namedChildren.find((c) => c?.type === 'arguments') ?? undefined;
}

/** `HttpClient()` → `HttpClient(context: SecurityContext(withTrustedRoots: false))`; a trusting `context:` is replaced. */
function rootlessContextEdit(args: Node): OffsetEdit | undefined {
  const values = args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (values.length === 0) return { start: args.startIndex, end: args.endIndex, text: `(context: ${ROOTLESS})` };
  const contextArgument = values.find((v) => v.type === 'named_argument' && v.namedChildren[0]?.text.replace(/\s*:$/, '') === 'context');
  if (!contextArgument || values.length !== 1) return undefined;
  const parts = dartParts(contextArgument).slice(1);
  const value = parts.map((p) => p.text).join('').replace(/\s+/g, '');
  if (!TRUSTING_CONTEXT.test(value)) return undefined;
  return { start: parts[0].startIndex, end: parts.at(-1)!.endIndex, text: ROOTLESS };
}

function rootlessClient(binding: DartCallbackBinding): OffsetEdit | undefined {
  const args = clientArguments(binding);
  return args ? rootlessContextEdit(args) : undefined;
}

/** `SecureSocket.connect(host, port, onBadCertificate: …)`: a `context:` argument of its own. */
function rootlessArgumentBeside(context: FixContext, site: Node): OffsetEdit | undefined {
  const list = site.parent;
  if (list?.type !== 'arguments') return undefined;
  const existing = list.namedChildren.find((c) => c?.type === 'named_argument' && c.namedChildren[0]?.text.replace(/\s*:$/, '') === 'context');
  if (existing) {
    const parts = dartParts(existing).slice(1);
    const value = parts.map((p) => p.text).join('').replace(/\s+/g, '');
    return TRUSTING_CONTEXT.test(value) ? { start: parts[0].startIndex, end: parts.at(-1)!.endIndex, text: ROOTLESS } : undefined;
  }
  const { text, eol } = context;
  const ownLine = isBlank(text, lineStartOf(text, site.startIndex), site.startIndex);
  const separator = ownLine ? `,${eol}${indentationAt(text, site.startIndex)}` : ', ';
  return { start: site.startIndex, end: site.startIndex, text: `context: ${ROOTLESS}${separator}` };
}

// ---------------------------------------------------------------- Dio

function dioDocumentedPattern(context: FixContext, binding: DartCallbackBinding): OffsetEdit[] | undefined {
  const { file, text, eol, indentUnit } = context;
  const adapterArguments = dartArgumentListHolding(file, binding.site, 'createHttpClient');
  const builderArgument = adapterArguments?.namedChildren.find((c) => c?.type === 'named_argument' && c.namedChildren[0]?.text.replace(/\s*:$/, '') === 'createHttpClient');
  if (!adapterArguments || !builderArgument || builderArgument.startIndex > binding.site.startIndex || builderArgument.endIndex < binding.site.endIndex) return undefined;
  const clientArgs = clientArguments(binding);
  const rootless = clientArgs && rootlessContextEdit(clientArgs);
  const fn = dartFunction(file, binding.value);
  const value = binding.value;
  if (!rootless || !fn || !value) return undefined;
  const [certificate, ...rest] = fn.params;
  if (!certificate || fn.params.length !== 3 || fn.params.some((p) => !/^[A-Za-z_$][\w$]*$/.test(p))) return undefined;
  const params = `(${fn.params.join(', ')})`;

  // The pin check, as validateCertificate's function: its certificate parameter is nullable.
  let validate: string;
  if (value.type === 'identifier') {
    validate = `${params} => ${certificate} != null && ${value.text}(${[certificate, ...rest].join(', ')})`;
  } else if (fn.block) {
    const nullCheck = insertAtBlockTop(text, fn.block, [`if (${certificate} == null) return false;`], eol, indentUnit);
    if (!nullCheck) return undefined;
    const block = text.slice(fn.block.startIndex, nullCheck.start) + nullCheck.text + text.slice(nullCheck.end, fn.block.endIndex);
    validate = `${params} ${moveIndentation(block, indentationAt(text, fn.block.startIndex), indentationAt(text, builderArgument.startIndex))}`;
  } else {
    const body = value.childForFieldName('body');
    const parts = body?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
    if (!body || parts.length === 0) return undefined;
    const expression = text.slice(parts[0].startIndex, parts.at(-1)!.endIndex);
    const tight = parts.length > 1 || ['equality_expression', 'logical_and_expression', 'parenthesized_expression', 'identifier', 'relational_expression'].includes(parts[0].type);
    validate = `${params} => ${certificate} != null && ${tight ? expression : `(${expression})`}`;
  }

  // badCertificateCallback accepts the chain; the leaf is checked in validateCertificate.
  const accept: OffsetEdit = value.type === 'identifier'
    ? { start: value.startIndex, end: value.endIndex, text: `${params} => true` }
    : { start: value.childForFieldName('body')!.startIndex, end: value.endIndex, text: '=> true' };

  // `validateCertificate: …` after the `createHttpClient:` argument, in the list's layout.
  const comma = builderArgument.nextSibling?.type === ',' ? builderArgument.nextSibling : undefined;
  const ownLine = isBlank(text, lineStartOf(text, builderArgument.startIndex), builderArgument.startIndex);
  const argument = `validateCertificate: ${validate}`;
  const insertion: OffsetEdit = ownLine
    ? { start: (comma ?? builderArgument).endIndex, end: (comma ?? builderArgument).endIndex, text: `${comma ? '' : ','}${eol}${indentationAt(text, builderArgument.startIndex)}${argument}${comma ? ',' : ''}` }
    : { start: builderArgument.endIndex, end: builderArgument.endIndex, text: `, ${argument}` };
  return [rootless, accept, insertion];
}

/** Re-indents the lines after the first from `from` to `to`: a block moved to another nesting level. */
function moveIndentation(block: string, from: string, to: string): string {
  return block.split(/(\r\n|\r|\n)/).map((part, i) => (i > 0 && i % 2 === 0 && part.startsWith(from) ? to + part.slice(from.length) : part)).join('');
}
