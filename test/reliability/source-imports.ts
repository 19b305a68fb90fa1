/**
 * A small static reader of the project's TypeScript imports, for the network-hygiene tests:
 * which modules each source file imports (statically, dynamically, or for types only), and
 * which files an entry point can reach.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SourceModule {
  /** Relative to the repository, `/`-separated. */
  path: string;
  /** The source with comments blanked out (strings kept: they hold the specifiers). */
  code: string;
}

export interface ImportedModule {
  specifier: string;
  /** Named imports (`{ a, b }`), when that is all that is imported. */
  names?: string[];
  /** Erased at compile time (`import type`, or only `type` names). */
  typeOnly: boolean;
  /** `import('…')`: loaded when the code runs, not with the importing module. */
  dynamic: boolean;
}

export function sourceModules(root: string, dirs: string[]): Map<string, SourceModule> {
  const modules = new Map<string, SourceModule>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const relative = path.relative(root, full).split(path.sep).join('/');
        modules.set(relative, { path: relative, code: withoutComments(fs.readFileSync(full, 'utf8')) });
      }
    }
  };
  for (const dir of dirs) visit(path.join(root, dir));
  return modules;
}

/** Blanks `//` and `/* *\/` comments, keeping string and template literal contents. */
export function withoutComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
      out += ' ';
    } else if (c === '"' || c === "'" || c === '`') {
      const start = i++;
      while (i < source.length && source[i] !== c) i += source[i] === '\\' ? 2 : 1;
      out += source.slice(start, ++i);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function importsOf(module: SourceModule): ImportedModule[] {
  const found: ImportedModule[] = [];
  const code = module.code;
  for (const m of code.matchAll(/\b(?:import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/g)) {
    const clause = m[2].trim();
    const braces = /^\{([^}]*)\}$/.exec(clause);
    const specifiers = braces ? braces[1].split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const values = specifiers?.filter((s) => !s.startsWith('type ')).map((s) => s.split(/\s+as\s+/)[0].trim());
    found.push({ specifier: m[3], names: values, typeOnly: !!m[1] || (values !== undefined && values.length === 0), dynamic: false });
  }
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) found.push({ specifier: m[1], typeOnly: false, dynamic: false });
  for (const m of code.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1], typeOnly: false, dynamic: false });
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1], typeOnly: false, dynamic: true });
  return found;
}

/** The repository-relative file a relative specifier names, if it is one of `modules`. */
export function resolveImport(modules: Map<string, SourceModule>, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}/index.ts`, base].find((candidate) => modules.has(candidate));
}

/** Files `entry` loads, following value imports; dynamic `import()` too when `dynamic` is set. */
export function reachable(modules: Map<string, SourceModule>, entry: string, options: { dynamic: boolean }): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file; file = queue.pop()) {
    const module = modules.get(file);
    if (!module) continue;
    for (const imported of importsOf(module)) {
      if (imported.typeOnly || (imported.dynamic && !options.dynamic)) continue;
      const target = resolveImport(modules, file, imported.specifier);
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}
