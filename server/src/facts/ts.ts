import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { returnValues, type FunctionShape } from './functions';
import { descendants, stringValue } from './tree';

/** The property name of a `pair`, method or shorthand property, with quotes removed. */
export function tsPropertyName(node: Node): string | undefined {
  if (node.type === 'shorthand_property_identifier') return node.text;
  const key = node.childForFieldName('key') ?? node.childForFieldName('name');
  if (!key) return undefined;
  if (key.type === 'string') return stringValue(key);
  return key.text;
}

/** `obj.name = value` / `obj['name'] = value`: the assigned property name. */
export function tsAssignedProperty(assignment: Node): string | undefined {
  const left = assignment.childForFieldName('left');
  if (left?.type === 'member_expression') return left.childForFieldName('property')?.text;
  if (left?.type === 'subscript_expression') {
    const index = left.childForFieldName('index');
    return index?.type === 'string' ? stringValue(index) : undefined;
  }
  return undefined;
}

interface VariableFacts {
  initializers: Map<string, Node>;
  reassigned: Set<string>;
  functions: Map<string, FunctionShape>;
}

function variables(file: SourceFile): VariableFacts {
  return file.fact('ts.variables', () => {
    const initializers = new Map<string, Node>();
    const reassigned = new Set<string>();
    const functions = new Map<string, FunctionShape>();
    for (const n of descendants(file.root, ['variable_declarator', 'assignment_expression', 'augmented_assignment_expression', 'update_expression', 'function_declaration'])) {
      if (n.type === 'variable_declarator') {
        const name = n.childForFieldName('name');
        const value = n.childForFieldName('value');
        if (name?.type !== 'identifier') continue;
        if (initializers.has(name.text)) reassigned.add(name.text); // declared twice: unknown
        if (value) initializers.set(name.text, value);
        // `const f = g` is resolved below: tsFunction on an identifier reads these facts, which
        // are still being computed (it recursed until the stack overflowed).
        const fn = value && value.type !== 'identifier' ? tsFunction(file, value) : undefined;
        if (fn) functions.set(name.text, fn);
      } else if (n.type === 'function_declaration') {
        const name = n.childForFieldName('name')?.text;
        const fn = tsFunction(file, n);
        if (name && fn) functions.set(name, fn);
      } else {
        const target = n.childForFieldName('left') ?? n.childForFieldName('argument');
        if (target?.type === 'identifier') reassigned.add(target.text);
      }
    }
    for (const [name, value] of initializers) {
      const aliased = value.type === 'identifier' && !functions.has(name) ? functions.get(value.text) : undefined;
      if (aliased) functions.set(name, aliased);
    }
    return { initializers, reassigned, functions };
  });
}

/** The initial value of a same-file variable that is never reassigned. */
export function tsConstantValue(file: SourceFile, identifier: Node): Node | undefined {
  const facts = variables(file);
  if (facts.reassigned.has(identifier.text)) return undefined;
  return facts.initializers.get(identifier.text);
}

/**
 * Folds `node` to the boolean it always evaluates to, or undefined when that depends on
 * run time: literals, `!`, parentheses and never-reassigned constants.
 */
export function tsFoldBoolean(file: SourceFile, node: Node, depth = 0): boolean | undefined {
  if (depth > 8) return undefined;
  switch (node.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'number':
      return Number(node.text.replace(/_/g, '')) !== 0;
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner ? tsFoldBoolean(file, inner, depth + 1) : undefined;
    }
    case 'unary_expression': {
      const argument = node.childForFieldName('argument');
      if (!argument || !node.text.trimStart().startsWith('!')) return undefined;
      const inner = tsFoldBoolean(file, argument, depth + 1);
      return inner === undefined ? undefined : !inner;
    }
    case 'identifier':
    case 'shorthand_property_identifier': {
      const value = tsConstantValue(file, node);
      return value ? tsFoldBoolean(file, value, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** The TS/JS nodes that are functions (literals, declarations, methods). */
export const TS_FUNCTION_TYPES = ['arrow_function', 'function_expression', 'function', 'function_declaration', 'method_definition'];

/** A function literal, method, or a same-file function of that name. */
export function tsFunction(file: SourceFile, node: Node): FunctionShape | undefined {
  if (node.type === 'identifier') return variables(file).functions.get(node.text);
  if (!TS_FUNCTION_TYPES.includes(node.type)) return undefined;
  const params = node.childForFieldName('parameters') ?? node.childForFieldName('parameter');
  const names = !params ? [] : params.type === 'identifier' ? [params.text] : params.namedChildren.map(
    (p) => (p?.childForFieldName('pattern') ?? p)?.text ?? '',
  );
  const body = node.childForFieldName('body');
  if (!body) return undefined;
  return body.type === 'statement_block' ? { node, params: names, block: body } : { node, params: names, expression: body };
}

const UNDEFINED_VALUES = new Set(['undefined', 'null']);
/** Calls that only log: they neither throw on a bad certificate nor return an error. */
const LOGGING_OBJECTS = /^(console|logger|log)$/;

/**
 * The `checkServerIdentity` functions trust-all-certificates reports: no path returns an error or
 * throws (`() => undefined`, `() => {}`, a body that only logs). A call that may throw for it — a
 * same-file function that throws or returns an error, or another function handed the host or
 * the certificate (`assertPinned(cert)`) — makes it a check.
 */
export function tsIdentityCheckIsNoOp(file: SourceFile, fn: FunctionShape): boolean {
  return !mayRejectConnection(file, fn, 0);
}

function mayRejectConnection(file: SourceFile, fn: FunctionShape, depth: number): boolean {
  if (depth > 4) return true; // too deep to tell: assume it checks, and say nothing
  const body = fn.expression ?? fn.block;
  if (!body) return true;
  if (fn.expression) {
    const discarded = fn.expression.type === 'unary_expression' && /^void\b/.test(fn.expression.text);
    if (!discarded && !UNDEFINED_VALUES.has(fn.expression.type)) return true;
  } else if (descendants(body, 'throw_statement').length > 0 || !returnValues(fn).every((v) => v === null || UNDEFINED_VALUES.has(v.type))) {
    return true;
  }
  return descendants(body, 'call_expression').some((call) => callMayThrow(file, fn, call, depth));
}

function callMayThrow(file: SourceFile, caller: FunctionShape, call: Node, depth: number): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  if (callee.type === 'member_expression' && LOGGING_OBJECTS.test(callee.childForFieldName('object')?.text ?? '')) return false;
  // `tls.checkServerIdentity` returns its error, it never throws: dropped, it rejects nothing.
  const method = callee.type === 'member_expression' ? callee.childForFieldName('property')?.text : callee.text;
  if (method === 'checkServerIdentity') return false;
  const known = callee.type === 'identifier' ? variables(file).functions.get(callee.text) : undefined;
  if (known) return known.node.id !== caller.node.id && mayRejectConnection(file, known, depth + 1);
  // A function we cannot see, handed the host or the certificate, may well throw on a mismatch.
  const params = new Set(caller.params.map((p) => p.replace(/[?:].*$/s, '').trim()));
  const args = call.childForFieldName('arguments');
  return !!args && descendants(args, 'identifier').some((i) => params.has(i.text));
}
