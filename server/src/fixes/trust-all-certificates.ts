/**
 * trust-all-certificates: take the accept-everything code out (the platform's validation applies
 * again), or keep it for debug builds only.
 */
import type { Node } from 'web-tree-sitter';
import { dartAcceptsAnyCertificate, dartCallbackBindings, dartFunction, type DartCallbackBinding } from '../facts/dart';
import { isInDebugGuard } from '../facts/debug-guards';
import { swiftArgumentLabel, swiftArguments } from '../facts/swift';
import { tsAssignedProperty, tsPropertyName } from '../facts/ts';
import type { DraftFix, FixContext } from './context';
import { dartImports } from './imports';
import {
  hasMultilineString, indentationAt, indentFollowingLines, isBlank, lineEndOf, lineStartOf, removalRange,
  removeListElement, removeStatement,
} from './text';
import type { OffsetEdit } from './types';

export function trustAllCertificatesFixes(context: FixContext): DraftFix[] {
  switch (context.file.family) {
    case 'dart':
      return dartFixes(context);
    case 'swift':
      return swiftFixes(context);
    default:
      return tsFixes(context);
  }
}

/** Code already under a debug guard (or in a test file) gains nothing from another guard. */
function alreadyDebugOnly(context: FixContext, node: Node): boolean {
  return context.file.isTestFile || isInDebugGuard(context.file, node);
}

// ---------------------------------------------------------------- Dart

function dartFixes(context: FixContext): DraftFix[] {
  const binding = dartCallbackBindings(context.file).find((b) => context.isFindingNode(b.site));
  if (!binding) return [];
  const fixes: DraftFix[] = [];
  const removal = dartRemoveBinding(context, binding);
  if (removal) {
    const what = binding.site.type === 'named_argument' ? `the ${binding.name} argument` : `the ${binding.name} assignment`;
    fixes.push({ title: `Remove ${what}: the default certificate validation applies again`, preferred: true, edits: [removal] });
  }
  const statement = binding.site.type === 'assignment_expression' ? binding.site.parent : undefined;
  // A callback that accepts everything only in debug builds (`=> kDebugMode`) needs no guard either.
  const callback = dartFunction(context.file, binding.value);
  const debugOnlyCallback = callback !== undefined && dartAcceptsAnyCertificate(context.file, callback) === 'debug';
  if (statement?.type === 'expression_statement' && statement.parent?.type === 'block' && !debugOnlyCallback && !alreadyDebugOnly(context, statement)) {
    const wrap = dartWrapInDebugMode(context, statement);
    if (wrap) fixes.push({ title: 'Keep it for debug builds only: wrap it in if (kDebugMode) { … } (Flutter)', preferred: false, edits: wrap });
  }
  return fixes;
}

/** `x.cb = …;` (the statement), `..cb = …` (the cascade section), `cb: …` (the argument). */
function dartRemoveBinding(context: FixContext, binding: DartCallbackBinding): OffsetEdit | undefined {
  const { site } = binding;
  const { text } = context;
  if (site.type === 'assignment_expression') {
    const statement = site.parent;
    if (statement?.type !== 'expression_statement' || statement.namedChildren.filter((c) => c?.type !== 'comment').length !== 1) return undefined;
    return removeStatement(text, statement);
  }
  if (site.type === 'cascade_section') {
    const before = site.previousSibling;
    if (!before) return undefined;
    // From the end of what precedes (a receiver, another section, a comment) to the section's end.
    return { start: before.endIndex, end: site.endIndex, text: '' };
  }
  if (site.type === 'named_argument' && site.parent?.type === 'arguments') return removeListElement(text, site);
  return undefined;
}

function dartWrapInDebugMode(context: FixContext, statement: Node): OffsetEdit[] | undefined {
  const { text, eol, indentUnit } = context;
  if (hasMultilineString(statement) || !isBlank(text, lineStartOf(text, statement.startIndex), statement.startIndex)) return undefined;
  const foundation = dartImports(context, [{ uri: 'package:flutter/foundation.dart', member: 'kDebugMode' }]);
  if (!foundation) return undefined;
  const indentation = indentationAt(text, statement.startIndex);
  const body = indentFollowingLines(statement.text, indentUnit);
  const wrapped = `if (kDebugMode) {${eol}${indentation}${indentUnit}${body}${eol}${indentation}}`;
  return [{ start: statement.startIndex, end: statement.endIndex, text: wrapped }, ...foundation];
}

// ---------------------------------------------------------------- Swift

function swiftFixes(context: FixContext): DraftFix[] {
  const node = context.findingNode(['call_expression', 'tuple_expression']);
  if (!node) return [];
  if (node.type === 'call_expression') {
    const args = swiftArguments(node);
    const list = node.namedChildren.find((c) => c?.type === 'call_suffix')?.namedChildren.find((c) => c?.type === 'value_arguments');
    if (!list || args.length !== 2 || args.some((a) => swiftArgumentLabel(a) !== undefined)) return [];
    const calleeText = node.namedChildren[0]!.text;
    // Swift 2 capitalised the cases: `.UseCredential` is answered with `.PerformDefaultHandling`.
    const disposition = /UseCredential\s*$/.test(args[0].text) ? '.PerformDefaultHandling' : '.performDefaultHandling';
    const defaultHandling = `${calleeText}(${disposition}, nil)`;
    const fixes: DraftFix[] = [{
      title: `Answer ${defaultHandling}: the system evaluates the trust`,
      preferred: true,
      edits: [{ start: list.startIndex, end: list.endIndex, text: `(${disposition}, nil)` }],
    }];
    const wrap = swiftWrapInDebug(context, node, defaultHandling);
    if (wrap) fixes.push(wrap);
    return fixes;
  }
  // `return (.useCredential, URLCredential(trust: …))` in the async delegate method.
  const values = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (values.length !== 2) return [];
  const statement = node.parent;
  const fixes: DraftFix[] = [{
    title: 'Answer (.performDefaultHandling, nil): the system evaluates the trust',
    preferred: true,
    edits: [{ start: node.startIndex, end: node.endIndex, text: '(.performDefaultHandling, nil)' }],
  }];
  if (statement?.type === 'control_transfer_statement' && statement.text.startsWith('return')) {
    const wrap = swiftWrapInDebug(context, statement, 'return (.performDefaultHandling, nil)');
    if (wrap) fixes.push(wrap);
  }
  return fixes;
}

/** `#if DEBUG` the statement `#else` the default handling `#endif`: release builds never skip the evaluation. */
function swiftWrapInDebug(context: FixContext, statement: Node, releaseStatement: string): DraftFix | undefined {
  const { text, eol } = context;
  if (statement.parent?.type !== 'statements' || alreadyDebugOnly(context, statement)) return undefined;
  const lineStart = lineStartOf(text, statement.startIndex);
  if (!isBlank(text, lineStart, statement.startIndex)) return undefined;
  const lineEnd = lineEndOf(text, statement.endIndex);
  if (!/^[ \t]*(\/\/.*)?$/.test(text.slice(statement.endIndex, lineEnd))) return undefined;
  const indentation = indentationAt(text, statement.startIndex);
  return {
    title: `Keep it for debug builds only: #if DEBUG … #else ${releaseStatement} #endif`,
    preferred: false,
    edits: [
      { start: lineStart, end: lineStart, text: `${indentation}#if DEBUG${eol}` },
      { start: lineEnd, end: lineEnd, text: `${eol}${indentation}#else${eol}${indentation}${releaseStatement}${eol}${indentation}#endif` },
    ],
  };
}

// ---------------------------------------------------------------- TS / JS

function tsFixes(context: FixContext): DraftFix[] {
  const node = context.findingNode(['pair', 'shorthand_property_identifier', 'method_definition', 'assignment_expression']);
  if (!node) return [];
  const { text } = context;
  const name = node.type === 'assignment_expression' ? tsAssignedProperty(node) : tsPropertyName(node);
  if (name === 'NODE_TLS_REJECT_UNAUTHORIZED') {
    const removal = node.parent?.type === 'expression_statement' ? removeStatement(text, node.parent) : undefined;
    return removal ? [{ title: 'Remove the NODE_TLS_REJECT_UNAUTHORIZED assignment: TLS verifies certificates again', preferred: true, edits: [removal] }] : [];
  }
  if (name === 'rejectUnauthorized') {
    const fixes: DraftFix[] = [];
    const removal = tsRemoveMember(text, node);
    if (removal) fixes.push({ title: 'Remove rejectUnauthorized: false (certificates are verified again)', preferred: true, edits: [removal] });
    const value = node.type === 'shorthand_property_identifier' ? node : node.childForFieldName(node.type === 'pair' ? 'value' : 'right');
    if (value) {
      const replacement = node.type === 'shorthand_property_identifier' ? 'rejectUnauthorized: true' : 'true';
      fixes.push({ title: 'Set rejectUnauthorized to true', preferred: fixes.length === 0, edits: [{ start: value.startIndex, end: value.endIndex, text: replacement }] });
    }
    return fixes;
  }
  if (name === 'checkServerIdentity') {
    const removal = tsRemoveMember(text, node);
    return removal ? [{ title: 'Remove the no-op checkServerIdentity: Node checks the host name again', preferred: true, edits: [removal] }] : [];
  }
  return [];
}

/** An object member with its comma, a class member's lines, or the statement of `obj.x = …`. */
function tsRemoveMember(text: string, node: Node): OffsetEdit | undefined {
  if (node.type === 'assignment_expression') {
    return node.parent?.type === 'expression_statement' ? removeStatement(text, node.parent) : undefined;
  }
  if (node.parent?.type === 'object') return removeListElement(text, node);
  if (node.parent?.type === 'class_body') {
    // A method of its own lines only: class members have no separators to tidy.
    const [start, end] = removalRange(text, node.startIndex, node.endIndex);
    return start === lineStartOf(text, node.startIndex) ? { start, end, text: '' } : undefined;
  }
  return undefined;
}
