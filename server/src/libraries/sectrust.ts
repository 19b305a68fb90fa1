/**
 * The Security framework's `SecTrustEvaluate(trust, &result)` (deprecated in iOS 13) used as the
 * verdict: its status (`errSecSuccess`, `noErr`) only says that the evaluation ran. The verdict
 * is in `result` (`.proceed` / `.unspecified`); code that compares the status and never reads
 * `result` accepts every chain, a self-signed or another host's certificate included.
 *
 * - `SecTrustEvaluate(t, &r) == errSecSuccess` (in `if`, `guard`, `return`, `&&`), and
 *   `let status = SecTrustEvaluate(t, &r)` compared later → accepts any certificate.
 * - Reading `result` anywhere in the same function is the real check: no finding.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { swiftArguments, swiftArgumentValue, swiftCalleeName, swiftEnclosingFunction } from '../facts/swift';
import { descendants, descendantsAround } from '../facts/tree';
import type { LibraryModel, OptionFix, TrustOption } from './model';

/** What SecTrustEvaluate returns when the evaluation ran, whatever its verdict. */
const SUCCESS = new Set(['errSecSuccess', 'noErr', '0']);

export const sectrust: LibraryModel = {
  id: 'sectrust',
  name: 'Security framework (SecTrustEvaluate)',
  family: 'swift',
  triggers: ['SecTrustEvaluate('],
  effects: ['acceptsAnyCertificate'],
  trustOptions,
};

function trustOptions(file: SourceFile): TrustOption[] {
  const options: TrustOption[] = [];
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], ['SecTrustEvaluate('])) {
    if (call.namedChildren[0]?.type !== 'simple_identifier' || swiftCalleeName(call) !== 'SecTrustEvaluate') continue;
    const [trust, result] = swiftArguments(call).map(swiftArgumentValue);
    if (!trust || !result || resultIsRead(call, result)) continue;
    for (const comparison of statusComparisons(call)) {
      options.push({
        effect: 'acceptsAnyCertificate', library: sectrust.id, node: comparison,
        message: `SecTrustEvaluate's status only says that the evaluation ran: compared with ${successOperand(comparison)?.text} and with its result never read, it accepts every certificate, a self-signed one or one issued for another host.`,
        fix: evaluateWithError(comparison, call, trust),
      });
    }
  }
  return options;
}

/** Whether the function reads the `&result` variable apart from handing it to `call`. */
function resultIsRead(call: Node, result: Node): boolean {
  if (result.type === 'nil') return false;
  const name = result.type === 'prefix_expression' ? result.childForFieldName('target') : result;
  if (name?.type !== 'simple_identifier') return true; // `&self.result`, a pointer: not followed
  const scope = swiftEnclosingFunction(call) ?? call.tree.rootNode;
  return descendants(scope, 'simple_identifier').some((n) =>
    n.text === name.text && n.id !== name.id && n.parent?.type !== 'pattern' && !isLabel(n));
}

function isLabel(n: Node): boolean {
  return n.parent?.type === 'value_argument_label' || n.parent?.type === 'navigation_suffix';
}

/**
 * The `==` / `!=` comparisons of the call's status with success: the call itself compared, or
 * the constant it was stored in (`let status = SecTrustEvaluate(…)`).
 */
function statusComparisons(call: Node): Node[] {
  const parent = call.parent;
  if (parent && operator(parent)) return successOperand(parent) ? [parent] : [];
  if (parent?.type !== 'property_declaration') return [];
  const status = parent.childForFieldName('name')?.text;
  const scope = swiftEnclosingFunction(call) ?? call.tree.rootNode;
  return descendants(scope, COMPARISONS).filter((e) => {
    const other = operator(e) && successOperand(e);
    return !!other && e.startIndex > call.endIndex && operands(e).some((o) => o.id !== other.id && o.type === 'simple_identifier' && o.text === status);
  });
}

/** `a == b` parses as an equality expression, `a != b` (a custom operator to the grammar) as an infix one. */
const COMPARISONS = ['equality_expression', 'infix_expression'];

/** `==` or `!=` when `node` compares two operands with one of them. */
function operator(node: Node): '==' | '!=' | undefined {
  const [lhs, rhs] = [node.childForFieldName('lhs'), node.childForFieldName('rhs')];
  if (!COMPARISONS.includes(node.type) || !lhs || !rhs) return undefined;
  const op = node.text.slice(lhs.endIndex - node.startIndex, rhs.startIndex - node.startIndex).trim();
  return op === '==' || op === '!=' ? op : undefined;
}

function operands(comparison: Node): Node[] {
  return [comparison.childForFieldName('lhs'), comparison.childForFieldName('rhs')].filter((n): n is Node => !!n);
}

/** The operand that is errSecSuccess / noErr / 0. */
function successOperand(comparison: Node): Node | undefined {
  return operands(comparison).find((o) => SUCCESS.has(o.text));
}

/** `SecTrustEvaluate(t, &r) == errSecSuccess` → `SecTrustEvaluateWithError(t, nil)`; `!=` → `!SecTrustEvaluateWithError(t, nil)`. */
function evaluateWithError(comparison: Node, call: Node, trust: Node): OptionFix | undefined {
  if (call.parent?.id !== comparison.id) return undefined; // the stored status: more than one place to change
  const negated = operator(comparison) === '!=';
  return {
    title: 'Use SecTrustEvaluateWithError(trust, nil): its Bool is the verdict (iOS 12, macOS 10.14)',
    edits: [{ start: comparison.startIndex, end: comparison.endIndex, text: `${negated ? '!' : ''}SecTrustEvaluateWithError(${trust.text}, nil)` }],
  };
}
