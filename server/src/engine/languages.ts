import * as path from 'node:path';

/** The tree-sitter grammars we load. `typescript` and `tsx` are separate grammars; `.js` files use `javascript`. */
export type CodeGrammarId = 'dart' | 'swift' | 'typescript' | 'tsx' | 'javascript';

/** How a file is parsed: a tree-sitter grammar, or saxes for platform configs (`.xml`, `.plist`). */
export type GrammarId = CodeGrammarId | 'xml';

/**
 * Rules are written per language family: TS and JS share one set of checks; `xml` is the
 * platform configs (Android's network security config, iOS plists).
 */
export type Family = 'dart' | 'swift' | 'ts' | 'xml';

export const FAMILIES: readonly Family[] = ['dart', 'swift', 'ts', 'xml'];

const GRAMMAR_BY_EXTENSION: Record<string, GrammarId> = {
  '.dart': 'dart',
  '.swift': 'swift',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.xml': 'xml',
  '.plist': 'xml',
};

/** VS Code language ids → grammar. */
const GRAMMAR_BY_LANGUAGE_ID: Record<string, GrammarId> = {
  dart: 'dart',
  swift: 'swift',
  typescript: 'typescript',
  typescriptreact: 'tsx',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  xml: 'xml',
};

export const AUDITED_EXTENSIONS = Object.keys(GRAMMAR_BY_EXTENSION);

export function grammarForPath(filePath: string): GrammarId | undefined {
  const ext = path.extname(filePath).toLowerCase();
  if (filePath.toLowerCase().endsWith('.d.ts')) return undefined;
  return GRAMMAR_BY_EXTENSION[ext];
}

export function grammarForLanguageId(languageId: string): GrammarId | undefined {
  return GRAMMAR_BY_LANGUAGE_ID[languageId];
}

export function familyOf(grammar: GrammarId): Family {
  if (grammar === 'dart' || grammar === 'swift' || grammar === 'xml') return grammar;
  return 'ts';
}

/**
 * Test code may disable verification on purpose: findings there are notes.
 * `relativePath` is relative to the workspace (or scan) root, with `/` separators.
 */
export function isTestPath(relativePath: string): boolean {
  const p = relativePath.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (/_test\.dart$/.test(base) || /Tests\.swift$/.test(base)) return true;
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(base)) return true;
  return /(^|\/)(test|tests|__tests__)\//.test(p);
}
