import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { isDebugValue, isInDebugGuard } from './debug-guards';
import { returnValues, usesName, type FunctionShape } from './functions';
import { ancestors, descendants, descendantsAround } from './tree';

/** A place where a certificate callback gets its value: `x.name = v`, `..name = v`, `name: v`. */
export interface DartCallbackBinding {
  name: string;
  site: Node;
  /** The bound value when it is a single expression (a function or a function's name). */
  value?: Node;
}

export const DART_CERT_CALLBACKS = ['badCertificateCallback', 'onBadCertificate', 'validateCertificate'];

export function dartCallbackBindings(file: SourceFile): DartCallbackBinding[] {
  return file.fact('dart.callbackBindings', () => {
    const found: DartCallbackBinding[] = [];
    // A binding names its callback: only the sites holding one of the names can be one.
    for (const site of descendantsAround(file.root, file.text, ['assignment_expression', 'cascade_section', 'named_argument'], DART_CERT_CALLBACKS)) {
      const binding = bindingAt(site);
      if (binding && DART_CERT_CALLBACKS.includes(binding.name)) found.push(binding);
    }
    return found;
  });
}

function bindingAt(site: Node): DartCallbackBinding | undefined {
  const named = site.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (site.type === 'assignment_expression') {
    const left = site.childForFieldName('left');
    const selector = left?.namedChildren.at(-1);
    const name = selector?.type === 'unconditional_assignable_selector' ? selector.namedChildren[0]?.text : undefined;
    const rights = site.childrenForFieldName('right');
    return name ? { name, site, value: rights.length === 1 ? rights[0] ?? undefined : undefined } : undefined;
  }
  const [head, ...rest] = named;
  if (!head) return undefined;
  if (site.type === 'cascade_section' && head.type === 'cascade_selector') {
    return { name: head.text.replace(/^\?/, ''), site, value: rest.length === 1 ? rest[0] : undefined };
  }
  if (site.type === 'named_argument' && head.type === 'label') {
    const name = head.namedChildren[0]?.text ?? head.text.replace(/:$/, '');
    return { name, site, value: rest.length === 1 ? rest[0] : undefined };
  }
  return undefined;
}

/** A function literal, or the same file's function/method/local function of that name. */
export function dartFunction(file: SourceFile, value: Node | undefined): FunctionShape | undefined {
  // `= ((cert, host, port) => true)`: the parentheses change nothing.
  while (value?.type === 'parenthesized_expression' && value.namedChildren.filter((c) => c?.type !== 'comment').length === 1) {
    value = value.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
  }
  if (!value) return undefined;
  if (value.type === 'function_expression') {
    return shape(value, value.childForFieldName('parameters'), value.childForFieldName('body'));
  }
  if (value.type !== 'identifier') return undefined;
  return dartFunctionsByName(file).get(value.text);
}

function dartFunctionsByName(file: SourceFile): Map<string, FunctionShape> {
  return file.fact('dart.functionsByName', () => {
    const byName = new Map<string, FunctionShape>();
    for (const signature of descendants(file.root, 'function_signature')) {
      const name = signature.childForFieldName('name')?.text;
      if (!name || byName.has(name)) continue;
      const params = signature.namedChildren.find((c) => c?.type === 'formal_parameter_list') ?? null;
      // Top-level functions and methods: the body is the next sibling (of the method_signature for methods).
      const holder = signature.parent?.type === 'method_signature' ? signature.parent : signature;
      let body = holder.nextNamedSibling;
      if (signature.parent?.type === 'lambda_expression') body = signature.parent.childForFieldName('body');
      if (body?.type === 'function_body') byName.set(name, shape(signature, params, body));
    }
    return byName;
  });
}

function shape(node: Node, params: Node | null, body: Node | null): FunctionShape {
  const names = (params ? descendants(params, 'formal_parameter', ['formal_parameter']) : []).map(
    (p) => (p.childForFieldName('name') ?? p.namedChildren.filter((c) => c?.type === 'identifier').at(-1))?.text ?? '',
  );
  const parts = body?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
  if (parts[0]?.type === 'block') return { node, params: names, block: parts[0] };
  // `=> a.b(c)` is a flat run of siblings: keep the whole body as the expression then.
  return { node, params: names, expression: parts.length === 1 ? parts[0] : body ?? undefined };
}

/** The class a node belongs to, with its name and superclass. */
export function dartEnclosingClass(node: Node): { name: string; superclass?: string; node: Node } | undefined {
  for (const a of ancestors(node)) {
    if (a.type !== 'class_definition') continue;
    const superclass = a.childForFieldName('superclass')?.namedChildren[0]?.text;
    return { name: a.childForFieldName('name')?.text ?? '', superclass, node: a };
  }
  return undefined;
}

/** The name of the method or function whose body holds `node`. */
export function dartEnclosingFunctionName(node: Node): string | undefined {
  for (const a of ancestors(node)) {
    if (a.type === 'function_body') {
      if (a.parent?.type === 'lambda_expression') return a.parent.childForFieldName('parameters')?.childForFieldName('name')?.text;
      const holder = a.previousNamedSibling;
      const signature = holder?.type === 'method_signature' ? holder.namedChildren[0] : holder;
      return signature?.childForFieldName('name')?.text;
    }
  }
  return undefined;
}

/**
 * The argument list of the call that `node` is passed to as `name:` — directly (`name: () {…node…}`)
 * or through the same file's function that holds it (`name: _build`).
 */
export function dartArgumentListHolding(file: SourceFile, node: Node, name: string): Node | undefined {
  for (const a of ancestors(node)) {
    if (a.type === 'named_argument' && bindingAt(a)?.name === name && a.parent) return a.parent;
  }
  const functionName = dartEnclosingFunctionName(node);
  if (!functionName) return undefined;
  return identifierArguments(file, name).find((a) => a.value === functionName)?.node.parent ?? undefined;
}

/** The file's `name: identifier` arguments, once per name: found from the occurrences of `name`, not a walk of the tree. */
function identifierArguments(file: SourceFile, name: string): { value: string; node: Node }[] {
  return file.fact(`dart.identifierArguments.${name}`, () =>
    descendantsAround(file.root, file.text, ['named_argument'], [name]).flatMap((node) => {
      const binding = bindingAt(node);
      return binding?.name === name && binding.value?.type === 'identifier' ? [{ value: binding.value.text, node }] : [];
    }),
  );
}

export function dartNamedArgumentValue(list: Node, name: string): Node | undefined {
  for (const child of list.namedChildren) {
    if (child?.type !== 'named_argument') continue;
    const binding = bindingAt(child);
    if (binding?.name === name) return binding.value;
  }
  return undefined;
}

/** Whether a certificate callback accepts nothing: every path returns false (a callback that only logs). */
export function dartRejectsEveryCertificate(fn: FunctionShape): boolean {
  const values = returnValues(fn);
  return values.length > 0 && values.every(isFalse);
}

function isFalse(value: Node | null): boolean {
  return value === null || value.type === 'false';
}

/**
 * A certificate callback's verdict: 'always' when every path returns true; 'debug' when it
 * returns true only in debug builds (`=> kDebugMode`, `if (kDebugMode) return true;`), which
 * apps write to reach a local proxy or a self-signed dev server; 'blind' when the result never
 * depends on the certificate.
 */
export function dartAcceptsAnyCertificate(file: SourceFile, fn: FunctionShape): 'always' | 'debug' | 'blind' | undefined {
  const values = returnValues(fn);
  if (values.length === 0) return undefined;
  if (values.every((v) => v?.type === 'true')) return 'always';
  if (values.every(isFalse)) return undefined;
  // A value that is true in debug builds only, or returned only there (`if (!kDebugMode) return false;` before it).
  const debugOnly = (v: Node) => isDebugValue(file, v) || isInDebugGuard(file, v);
  if (values.every((v) => isFalse(v) || debugOnly(v!))) return 'debug';
  const certificate = fn.params[0];
  if (certificate && !usesName(fn, certificate, ['identifier'])) return 'blind';
  return undefined;
}
