import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { ancestors, descendants, descendantsAround } from './tree';

/** The called name of a Swift call: `f(…)` → f, `a.b.f(…)` → f. */
export function swiftCalleeName(call: Node): string | undefined {
  const callee = call.namedChildren[0];
  if (!callee) return undefined;
  if (callee.type === 'simple_identifier') return callee.text;
  if (callee.type === 'navigation_expression') {
    return callee.childForFieldName('suffix')?.childForFieldName('suffix')?.text ?? callee.text.split('.').at(-1);
  }
  return undefined;
}

/** The arguments of a call: `value_argument` nodes in order. */
export function swiftArguments(call: Node): Node[] {
  const suffix = call.namedChildren.find((c) => c?.type === 'call_suffix');
  const list = suffix?.namedChildren.find((c) => c?.type === 'value_arguments');
  return (list?.namedChildren ?? []).filter((c): c is Node => c?.type === 'value_argument');
}

export function swiftArgumentValue(argument: Node): Node | undefined {
  return argument.childForFieldName('value') ?? undefined;
}

export function swiftArgumentLabel(argument: Node): string | undefined {
  return argument.childForFieldName('name')?.text;
}

/** The value of the one `let`/`var name = value` before `name` in the enclosing function that declares it. */
export function swiftLocalValue(name: Node): Node | undefined {
  const fn = swiftEnclosingFunction(name);
  if (!fn) return undefined;
  const declarations = descendants(fn, 'property_declaration').filter((d) => d.childForFieldName('name')?.text === name.text && d.startIndex < name.startIndex);
  return declarations.length === 1 ? declarations[0].childForFieldName('value') ?? undefined : undefined;
}

/** The nearest enclosing function or closure. */
export function swiftEnclosingFunction(node: Node): Node | undefined {
  for (const a of ancestors(node)) {
    if (a.type === 'function_declaration' || a.type === 'lambda_literal' || a.type === 'init_declaration') return a;
  }
  return undefined;
}

/**
 * The member an implicit or qualified member expression names: `.disableEvaluation` and
 * `ServerTrustPolicy.disableEvaluation` → disableEvaluation. `node` is the expression, or a call's callee.
 */
export function swiftMemberName(node: Node): { name: Node; qualifier?: string } | undefined {
  if (node.type === 'prefix_expression' && node.text.startsWith('.')) {
    const target = node.childForFieldName('target');
    return target?.type === 'simple_identifier' ? { name: target } : undefined;
  }
  if (node.type === 'navigation_expression') {
    const name = node.childForFieldName('suffix')?.childForFieldName('suffix');
    const qualifier = node.childForFieldName('target');
    return name?.type === 'simple_identifier' && qualifier ? { name, qualifier: qualifier.text } : undefined;
  }
  return undefined;
}

/** The `label: false` argument of `call`, when it has one. */
export function swiftFalseArgument(call: Node, label: string): Node | undefined {
  return swiftArguments(call).find((a) => swiftArgumentLabel(a) === label && swiftArgumentValue(a)?.text === 'false');
}

/** An assignment to a member, `x.member = value` (`socket?.security = …`, `manager.securityPolicy.validatesDomainName = false`). */
export interface SwiftMemberAssignment {
  assignment: Node;
  /** `x.member`, the navigation assigned to. */
  target: Node;
  member: string;
  value: Node;
}

/** The file's assignments to a member, near one of `words` (`descendantsAround`): what library models read their options from. */
export function swiftMemberAssignments(file: SourceFile, words: readonly string[]): SwiftMemberAssignment[] {
  const found: SwiftMemberAssignment[] = [];
  for (const assignment of descendantsAround(file.root, file.text, ['assignment'], words)) {
    const target = assignment.childForFieldName('target')?.namedChildren[0];
    const value = assignment.childForFieldName('result');
    if (target?.type !== 'navigation_expression' || !value) continue;
    const member = target.childForFieldName('suffix')?.childForFieldName('suffix')?.text;
    if (member) found.push({ assignment, target, member, value });
  }
  return found;
}
