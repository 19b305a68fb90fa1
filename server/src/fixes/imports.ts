/**
 * Imports a fix needs: find the file's own binding for a library member, or add an import in the
 * file's style (Dart `import`; TS/JS ES `import` or CommonJS `require`).
 */
import type { Node } from 'web-tree-sitter';
import { descendants, descendantsAround, requireOccurrences, stringValue } from '../facts/tree';
import type { SourceFile } from '../engine/source-file';
import type { FixContext } from './context';
import { afterLineBreak, lineEndOf, lineStartOf } from './text';
import type { OffsetEdit } from './types';

// ---------------------------------------------------------------- Dart

export interface DartImport {
  uri: string;
  /** A name the fix uses from it: an import that hides it, or shows only others, does not count. */
  member?: string;
}

/**
 * The imports a Dart fix needs that the file lacks, as edits that keep Dart's layout: `dart:`,
 * then `package:`, then relative imports, each group sorted and set off by a blank line.
 * Undefined for a part file, which cannot import.
 */
export function dartImports(context: FixContext, wanted: readonly DartImport[]): OffsetEdit[] | undefined {
  const { file, text, eol } = context;
  const topLevel = topLevelNodes(file);
  if (topLevel.some((c) => c.type === 'part_of_directive')) return undefined;
  const directives = topLevel.filter((c) => c.type === 'import_or_export');
  const missing = [...new Set(wanted.filter((w) => !dartImportsAlready(directives, w)).map((w) => w.uri))]
    .sort((a, b) => dartImportGroup(a) - dartImportGroup(b) || (a < b ? -1 : a > b ? 1 : 0));
  if (missing.length === 0) return [];
  const imports = directives
    .map((d) => ({ node: d, uri: dartDirectiveUri(d) }))
    .filter((d): d is { node: Node; uri: string } => !!d.uri && d.node.text.startsWith('import'));
  /** Lines to insert per offset, with the group they belong to; `before`/`after` say where a new group needs its blank line. */
  const insertions = new Map<number, { lines: string[]; blankBefore: boolean; blankAfter: boolean }>();
  const add = (at: number, uri: string, blankBefore: boolean, blankAfter: boolean) => {
    const entry = insertions.get(at) ?? { lines: [], blankBefore, blankAfter };
    const previous = entry.lines.at(-1);
    if (previous && dartImportGroup(/'(.*)'/.exec(previous)?.[1] ?? '') !== dartImportGroup(uri)) entry.lines.push('');
    entry.lines.push(`import '${uri}';`);
    insertions.set(at, entry);
  };
  for (const uri of missing) {
    const group = dartImportGroup(uri);
    const sameGroup = imports.filter((i) => dartImportGroup(i.uri) === group);
    const laterInGroup = sameGroup.find((i) => i.uri > uri);
    const laterGroup = imports.find((i) => dartImportGroup(i.uri) > group);
    if (laterInGroup) add(lineStartOf(text, laterInGroup.node.startIndex), uri, false, false);
    else if (sameGroup.length > 0) add(afterLineBreak(text, lineEndOf(text, sameGroup.at(-1)!.node.endIndex)), uri, false, false);
    else if (laterGroup) add(lineStartOf(text, laterGroup.node.startIndex), uri, false, true);
    else if (imports.length > 0) add(afterLineBreak(text, lineEndOf(text, imports.at(-1)!.node.endIndex)), uri, true, false);
    else {
      const anchor = directives.at(-1) ?? topLevel.find((c) => c.type === 'library_name');
      const top = insertAfterDirectives(context, anchor, '');
      add(top.start, uri, !!anchor, !anchor);
    }
  }
  return [...insertions].map(([at, { lines, blankBefore, blankAfter }]) => {
    const endsWithoutBreak = at === text.length && at > 0 && !/[\r\n]$/.test(text);
    const body = lines.map((l) => (l === '' ? eol : l + eol)).join('');
    return { start: at, end: at, text: `${endsWithoutBreak ? eol : ''}${blankBefore ? eol : ''}${body}${blankAfter ? eol : ''}` };
  });
}

function dartImportsAlready(directives: Node[], wanted: DartImport): boolean {
  return directives.some((directive) => {
    const spec = descendants(directive, 'import_specification')[0];
    const uriNode = spec && descendants(spec, 'string_literal')[0];
    if (!spec || !uriNode || stringValue(uriNode) !== wanted.uri) return false;
    if (spec.namedChildren.some((c) => c?.type === 'identifier' && c.previousSibling?.type === 'as')) return false; // prefixed: `x.member` only
    const combinators = spec.namedChildren.filter((c): c is Node => c?.type === 'combinator');
    const names = (c: Node) => c.namedChildren.filter((n): n is Node => n?.type === 'identifier').map((n) => n.text);
    const hidden = combinators.some((c) => c.text.startsWith('hide') && !!wanted.member && names(c).includes(wanted.member));
    const shown = combinators.every((c) => !c.text.startsWith('show') || (!!wanted.member && names(c).includes(wanted.member)));
    return !hidden && shown;
  });
}

function dartDirectiveUri(directive: Node): string | undefined {
  const literal = descendants(directive, 'string_literal')[0];
  return literal && stringValue(literal);
}

/** 0 `dart:`, 1 `package:`, 2 relative: the order Dart style keeps import groups in. */
function dartImportGroup(uri: string): number {
  return uri.startsWith('dart:') ? 0 : uri.startsWith('package:') ? 1 : 2;
}

/** Inserts `line` after `anchor`'s line, or at the top of the file (after its leading comments). */
function insertAfterDirectives(context: FixContext, anchor: Node | undefined, line: string): OffsetEdit {
  const { text, eol, file } = context;
  if (anchor) {
    const at = afterLineBreak(text, lineEndOf(text, anchor.endIndex));
    const needsBreak = at === lineEndOf(text, anchor.endIndex); // the anchor ends the file without a line break
    return { start: at, end: at, text: `${needsBreak ? eol : ''}${line}${eol}` };
  }
  let at = 0;
  for (const child of topLevelNodes(file, false)) {
    if (!child || (child.type !== 'comment' && child.type !== 'hash_bang_line' && !isDirectivePrologue(child))) break;
    at = afterLineBreak(text, lineEndOf(text, child.endIndex));
  }
  const blankAfter = at < text.length && !/^[ \t]*(\r\n|\r|\n)/.test(text.slice(at));
  return { start: at, end: at, text: `${line}${eol}${blankAfter ? eol : ''}` };
}

/** `'use strict';` at the top of a JS file. */
function isDirectivePrologue(node: Node): boolean {
  return node.type === 'expression_statement' && /^['"]use strict['"];?$/.test(node.text);
}

// ---------------------------------------------------------------- TS / JS

const MODULE_NAMES: Record<string, string[]> = { crypto: ['crypto', 'node:crypto'], tls: ['tls', 'node:tls'] };

export interface ModuleMember {
  /** How the code calls the member: `createHash`, `crypto.createHash`, `tls.checkServerIdentity`. */
  expression: string;
  /** The import or require to add first, if any. */
  edit?: OffsetEdit;
}

/**
 * How to reach `member` of Node's `module` from this file: through an existing import or require
 * of the module, or a new one (`import { member }` / `import * as module`, `require` in CommonJS).
 * Undefined when the name a new import would bind is taken.
 */
export function tsModuleMember(context: FixContext, module: 'crypto' | 'tls', member: string, style: 'named' | 'namespace'): ModuleMember | undefined {
  const { file } = context;
  const sources = MODULE_NAMES[module];
  const topLevel = topLevelNodes(file);
  let lastImport: Node | undefined;
  let lastRequire: Node | undefined;
  /** `import { X509Certificate } from 'node:crypto'`: the member can join it. */
  let extendable: Node | undefined;
  for (const statement of topLevel) {
    if (statement.type === 'import_statement') {
      lastImport = statement;
      const source = statement.childForFieldName('source');
      if (!source || !sources.includes(stringValue(source) ?? '') || /^import\s+type\b/.test(statement.text)) continue;
      const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
      for (const part of clause?.namedChildren ?? []) {
        if (part?.type === 'namespace_import' || part?.type === 'identifier') {
          const name = part.type === 'identifier' ? part.text : part.namedChildren.find((c) => c?.type === 'identifier')?.text;
          if (name) return { expression: `${name}.${member}` };
        }
        if (part?.type === 'named_imports') {
          extendable ??= part;
          for (const specifier of part.namedChildren) {
            if (specifier?.type !== 'import_specifier' || /^type\b/.test(specifier.text)) continue;
            if (specifier.childForFieldName('name')?.text === member) {
              return { expression: specifier.childForFieldName('alias')?.text ?? member };
            }
          }
        }
      }
    } else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      for (const declarator of statement.namedChildren) {
        if (declarator?.type !== 'variable_declarator') continue;
        const value = declarator.childForFieldName('value');
        const required = value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'require'
          ? value.childForFieldName('arguments')?.namedChildren[0] : undefined;
        if (!required) continue;
        lastRequire = statement;
        if (!sources.includes(stringValue(required) ?? '')) continue;
        const name = declarator.childForFieldName('name');
        if (name?.type === 'identifier') return { expression: `${name.text}.${member}` };
        for (const p of name?.namedChildren ?? []) {
          if (p?.type === 'shorthand_property_identifier_pattern' && p.text === member) return { expression: member };
          if (p?.type === 'pair_pattern' && p.childForFieldName('key')?.text === member) {
            const local = p.childForFieldName('value');
            if (local?.type === 'identifier') return { expression: local.text };
          }
        }
      }
    }
  }
  const binding = style === 'named' ? member : module;
  if (nameIsTaken(file.root, file.text, binding)) return undefined;
  if (style === 'named' && extendable) {
    const specifiers = extendable.namedChildren.filter((c): c is Node => c?.type === 'import_specifier');
    const last = specifiers.at(-1);
    const at = last ? last.endIndex : extendable.startIndex + 1;
    return { expression: member, edit: { start: at, end: at, text: last ? `, ${member}` : ` ${member} ` } };
  }
  const specifier = `node:${module}`;
  const commonJs = isCommonJs(context, lastImport, lastRequire);
  const line = commonJs
    ? style === 'named' ? `const { ${member} } = require('${specifier}');` : `const ${module} = require('${specifier}');`
    : style === 'named' ? `import { ${member} } from '${specifier}';` : `import * as ${module} from '${specifier}';`;
  const anchor = commonJs ? lastRequire ?? lastImport : lastImport ?? lastRequire;
  return { expression: style === 'named' ? member : `${module}.${member}`, edit: insertAfterDirectives(context, anchor, line) };
}

function isCommonJs(context: FixContext, lastImport: Node | undefined, lastRequire: Node | undefined): boolean {
  if (lastImport) return false;
  if (lastRequire) return true;
  const id = context.file.id.toLowerCase();
  if (context.file.grammar !== 'javascript' || id.endsWith('.mjs')) return false;
  if (id.endsWith('.cjs')) return true;
  return !topLevelNodes(context.file).some((c) => c.type === 'export_statement');
}

/**
 * Asks a tree parsed in parts for the text of the file's imports and its start (and `more`) in one
 * go: the fixes of a file's findings call it first, where each would otherwise ask in turn.
 */
export function requireImportText(file: SourceFile, more: readonly (readonly [number, number])[] = []): void {
  requireOccurrences(file.root, file.text, IMPORT_MARKERS, [[0, 0], ...more]);
}

/** What starts the statements a file's imports are read from: directives, and those that import, export or require. */
const IMPORT_MARKERS = /\b(?:import|export|library|part\s+of)\b|\brequire\s*\(/;

/**
 * The file's top-level nodes (`named` ones only, or all), for a fix that reads its imports. A
 * tree parsed in parts (the CLI's fixes) holds only its parts: the text of each import marker,
 * and the file's start (comments, a hash-bang, `'use strict'`), is asked for first.
 */
function topLevelNodes(file: SourceFile, named = true): Node[] {
  requireImportText(file);
  return (named ? file.root.namedChildren : file.root.children).filter((c): c is Node => !!c);
}

/** Whether `name` is used as an identifier anywhere: a new binding of that name could clash. */
function nameIsTaken(root: Node, text: string, name: string): boolean {
  return descendantsAround(root, text, ['identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern'], [name]).some((n) => n.text === name);
}
