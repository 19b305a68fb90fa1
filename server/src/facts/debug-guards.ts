import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { ancestors, childOnPath, compact } from './tree';

/**
 * Whether `node` runs only in debug/development builds: inside the then-branch of a guard
 * such as Dart `if (kDebugMode)`, Swift `#if DEBUG`, TS `if (process.env.NODE_ENV === 'development')`,
 * or after a statement that leaves its block in other builds (`if (!kDebugMode) return false;`).
 */
export function isInDebugGuard(file: SourceFile, node: Node): boolean {
  if (file.family === 'swift') return inSwiftDebugDirective(file, node);
  const dart = file.family === 'dart';
  for (const ancestor of ancestors(node)) {
    // Dart strips asserts from release builds: `assert(() { …; return true; }())` runs in debug only.
    if (dart && ancestor.type === 'assertion') return true;
    const condition = guardCondition(ancestor, node);
    if (condition && isDebugCondition(compact(condition), dart)) return true;
    if (BLOCK_TYPES.has(ancestor.type) && afterReleaseExit(ancestor, node, dart)) return true;
  }
  return false;
}

const BLOCK_TYPES = new Set(['block', 'statement_block']);

/**
 * Whether a statement before `node`'s in `block` leaves the block in release builds, so that
 * `node` runs in debug ones only: `if (!kDebugMode) return false;`, `if (kIsWeb || !kDebugMode) { return; }`
 * (public Flutter apps trusting a local dev server's certificate), `if (process.env.NODE_ENV === 'production') throw …`.
 */
function afterReleaseExit(block: Node, node: Node, dart: boolean): boolean {
  for (let s = childOnPath(block, node)?.previousNamedSibling; s; s = s.previousNamedSibling) {
    if (s.type !== 'if_statement' || s.childForFieldName('alternative')) continue;
    const condition = s.childForFieldName('condition') ?? s.namedChildren[0];
    if (condition && leaves(s.childForFieldName('consequence')) && isReleaseCondition(compact(condition), dart)) return true;
  }
  return false;
}

/** Whether `statement` ends in a `return` or `throw`. */
function leaves(statement: Node | null | undefined): boolean {
  if (!statement) return false;
  if (BLOCK_TYPES.has(statement.type)) return leaves(statement.namedChildren.filter((c) => c?.type !== 'comment').at(-1));
  if (statement.type === 'expression_statement') return statement.namedChildren[0]?.type === 'throw_expression';
  return statement.type === 'return_statement' || statement.type === 'throw_statement';
}

const DART_RELEASE = [/^kReleaseMode$/, /^kProfileMode$/];
const TS_RELEASE = [/^process\.env\.NODE_ENV(===?)(['"`])production\2$/, /^(['"`])production\1(===?)process\.env\.NODE_ENV$/];
/** `env == Env.production`, `config.isRelease`. */
const ENVIRONMENT_RELEASE = [
  /^[\w.]+==[\w.]*\b(production|prod|release)$/i,
  /^[\w.]*\b(production|prod|release)==[\w.]+$/i,
  /^(?:[\w]+\.)*is(Prod|Production|Release)(Mode|Build)?$/,
];

/**
 * Whether `condition` holds in every release build: one of its disjuncts does (`kReleaseMode`,
 * the negation of a debug condition such as `!kDebugMode`), so a block left when it holds goes on in debug builds only.
 */
function isReleaseCondition(condition: string, dart: boolean): boolean {
  const patterns = [...(dart ? DART_RELEASE : TS_RELEASE), ...ENVIRONMENT_RELEASE];
  return condition.replace(/^\((.*)\)$/, '$1').split('||').some((disjunct) => {
    const part = disjunct.replace(/^\((.*)\)$/, '$1');
    return (part.startsWith('!') && isDebugCondition(part.slice(1), dart)) || patterns.some((p) => p.test(part));
  });
}

/** Whether the value `node` is true only in debug/development builds: `kDebugMode`, `!kReleaseMode && host == 'localhost'`. */
export function isDebugValue(file: SourceFile, node: Node): boolean {
  return file.family !== 'swift' && isDebugCondition(compact(node), file.family === 'dart');
}

const THEN_BRANCH_PARENTS = new Set(['if_statement', 'conditional_expression', 'ternary_expression']);

/** The condition of `ancestor` when `node` sits in its then-branch. */
function guardCondition(ancestor: Node, node: Node): Node | undefined {
  if (!THEN_BRANCH_PARENTS.has(ancestor.type)) return undefined;
  const branch = childOnPath(ancestor, node);
  if (!branch) return undefined;
  const consequence = ancestor.childForFieldName('consequence');
  if (consequence) {
    if (consequence.id !== branch.id) return undefined;
    const condition = ancestor.childForFieldName('condition');
    if (condition) return condition;
  }
  // Dart puts the condition in an unnamed position: the first named child.
  const [condition, then] = ancestor.namedChildren;
  if (!condition || !then || then.id !== branch.id) return undefined;
  return condition;
}

const DART_DEBUG = [/^kDebugMode$/, /^!kReleaseMode$/, /^!kProfileMode&&!kReleaseMode$/];
const TS_DEBUG = [
  /^process\.env\.NODE_ENV(===?)(['"`])(development|dev|test)\2$/,
  /^(['"`])(development|dev|test)\1(===?)process\.env\.NODE_ENV$/,
  /^process\.env\.NODE_ENV(!==?)(['"`])production\2$/,
  /^__DEV__$/,
];
/** `env == Env.development`, `config.isDebug`, `AppEnvironment.dev == env`. */
const ENVIRONMENT_DEBUG = [
  /^[\w.]+==[\w.]*\b(development|dev|debug)$/i,
  /^[\w.]*\b(development|dev|debug)==[\w.]+$/i,
  /^(?:[\w]+\.)*is(Dev|Development|Debug)(Mode|Build)?$/,
];

function isDebugCondition(condition: string, dart: boolean): boolean {
  const inner = condition.replace(/^\((.*)\)$/, '$1');
  // A disjunction is a guard when each of its sides is (`!kReleaseMode || kDebugMode`). Split
  // on every `||`: one inside parentheses leaves a side no pattern matches, and no guard.
  if (inner.includes('||')) return inner.split('||').every((side) => isDebugCondition(side, dart));
  // Every conjunct must hold, so one debug-only conjunct is enough.
  const patterns = [...(dart ? DART_DEBUG : TS_DEBUG), ...ENVIRONMENT_DEBUG];
  return inner.split('&&').some((part) => patterns.some((p) => p.test(part.replace(/^\((.*)\)$/, '$1'))));
}

/** Line ranges covered by the then-part of `#if DEBUG` (also `#if DEBUG && …`), computed once per file. */
function swiftDebugLines(file: SourceFile): [number, number][] {
  return file.fact('swift.debugLines', () => {
    const ranges: [number, number][] = [];
    const stack: { debug: boolean; start: number }[] = [];
    file.text.split(/\r\n|\r|\n/).forEach((raw, line) => {
      const text = raw.trim();
      const m = /^#(if|elseif|else|endif)\b\s*(.*)$/.exec(text);
      if (!m) return;
      const [, directive, rest] = m;
      if (directive === 'if') {
        const cond = rest.replace(/\/\/.*$/, '').replace(/\s+/g, '');
        stack.push({ debug: !cond.includes('||') && cond.split('&&').includes('DEBUG'), start: line });
        return;
      }
      const top = stack[stack.length - 1];
      if (!top) return;
      if (top.debug) ranges.push([top.start, line]);
      if (directive === 'endif') stack.pop();
      else top.debug = false;
    });
    return ranges;
  });
}

function inSwiftDebugDirective(file: SourceFile, node: Node): boolean {
  const line = file.positionAt(node.startIndex).line;
  return swiftDebugLines(file).some(([start, end]) => start < line && line < end);
}
