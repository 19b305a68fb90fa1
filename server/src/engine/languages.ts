import * as path from 'node:path';

/** The grammars we load. `typescript` and `tsx` are separate grammars; `.js` files use `javascript`. */
export type GrammarId = 'dart' | 'swift' | 'typescript' | 'tsx' | 'javascript';

/** Rules are written per language family: TS and JS share one set of checks. */
export type Family = 'dart' | 'swift' | 'ts';

export const FAMILIES: readonly Family[] = ['dart', 'swift', 'ts'];

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
};

/** VS Code language ids → grammar. */
const GRAMMAR_BY_LANGUAGE_ID: Record<string, GrammarId> = {
  dart: 'dart',
  swift: 'swift',
  typescript: 'typescript',
  typescriptreact: 'tsx',
  javascript: 'javascript',
  javascriptreact: 'javascript',
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
  if (grammar === 'dart' || grammar === 'swift') return grammar;
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
