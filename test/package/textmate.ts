import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { readManifest, REPO_ROOT } from './repo';

const GRAMMARS_DIR = path.join(REPO_ROOT, 'test', 'data', 'grammars');

/** The test host grammar for each scope VS Code uses, and the suffix its own scopes end in. */
const HOSTS: Record<string, { file: string; suffix?: string }> = {
  'source.dart': { file: 'dart.tmLanguage.json' },
  'source.swift': { file: 'swift.tmLanguage.json' },
  'source.ts': { file: 'typescript-family.tmLanguage.json', suffix: 'ts' },
  'source.tsx': { file: 'typescript-family.tmLanguage.json', suffix: 'tsx' },
  'source.js': { file: 'typescript-family.tmLanguage.json', suffix: 'js' },
  'source.js.jsx': { file: 'typescript-family.tmLanguage.json', suffix: 'js.jsx' },
};
export const HOST_SCOPES = Object.keys(HOSTS);

let onigLib: Promise<vsctm.IOnigLib> | undefined;

function loadOniguruma(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    };
  })();
  return onigLib;
}

function hostGrammarText(scopeName: string): string {
  const host = HOSTS[scopeName];
  const text = fs.readFileSync(path.join(GRAMMARS_DIR, host.file), 'utf8');
  // The TypeScript-family template: its own scope names end in the language's suffix.
  return host.suffix ? text.replaceAll('SUFFIX', host.suffix) : text;
}

/**
 * A registry that loads hosts from test/data/grammars and the injection grammars the way VS Code
 * does: from package.json `contributes.grammars` (path, scopeName, injectTo).
 * `hostOverrides` replaces a host grammar's text (to try a differently shaped host).
 */
export async function createRegistry(hostOverrides: Record<string, string> = {}): Promise<vsctm.Registry> {
  const contributed: { scopeName: string; path: string; injectTo?: string[] }[] = readManifest().contributes.grammars ?? [];
  return new vsctm.Registry({
    onigLib: loadOniguruma(),
    loadGrammar: async (scopeName) => {
      if (hostOverrides[scopeName]) return vsctm.parseRawGrammar(hostOverrides[scopeName], `${scopeName}.json`);
      if (HOSTS[scopeName]) return vsctm.parseRawGrammar(hostGrammarText(scopeName), `${scopeName}.json`);
      const grammar = contributed.find((g) => g.scopeName === scopeName);
      if (!grammar) return null;
      const file = path.join(REPO_ROOT, grammar.path);
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName) => contributed.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
  });
}

export interface Token {
  text: string;
  start: number;
  end: number;
  scopes: string[];
}

/** Tokenizes `lines` in order (state carries over, as in an editor); one token list per line. */
export function tokenize(grammar: vsctm.IGrammar, lines: readonly string[]): Token[][] {
  let state = vsctm.INITIAL;
  return lines.map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, end: Math.min(t.endIndex, line.length), scopes: t.scopes }));
  });
}

/** True when `scopes` has `scope` itself or a scope beneath it (`a.b` covers `a.b.c`, not `a.bc`). */
export function hasScope(scopes: readonly string[], scope: string): boolean {
  return scopes.some((s) => s === scope || s.startsWith(`${scope}.`));
}

/** The tokens that cover `needle` (its first occurrence at or after `from`) in `line`'s tokens. */
export function tokensOf(line: string, tokens: readonly Token[], needle: string, from = 0): Token[] {
  const start = line.indexOf(needle, from);
  if (start < 0) throw new Error(`"${needle}" is not in: ${line}`);
  const end = start + needle.length;
  return tokens.filter((t) => t.end > start && t.start < end);
}
