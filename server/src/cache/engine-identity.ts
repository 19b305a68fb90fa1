import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { locateWasm, WASM_FILES } from '../engine/parser';
import { toolVersion } from '../cli/version';

let identity: string | undefined;

/**
 * What the findings of a file depend on besides its text and the settings: the version, plus a
 * hash of the code that runs the rules and of the grammars that parse for them. A version number
 * alone would keep stale findings across a rule change between releases (or in a development
 * build); the hash changes with any change to either.
 */
export function engineIdentity(): string {
  if (identity !== undefined) return identity;
  const hash = createHash('sha256');
  for (const file of [...engineCode(), ...WASM_FILES.map(locateWasm)]) {
    hash.update(`${path.basename(file)}\0`);
    hash.update(fs.readFileSync(file));
  }
  return (identity = `${toolVersion()}+${hash.digest('hex').slice(0, 16)}`);
}

/**
 * The files the engine's code is in. A bundle (dist/cli.js, dist/server.js) holds all of it;
 * compiled sources (out/server/src, out/common: tests, development) are a tree of modules.
 */
function engineCode(): string[] {
  const sources = path.join(__dirname, '..');
  if (!fs.existsSync(path.join(sources, 'engine', 'analyze.js'))) return [__filename];
  return [...jsFiles(sources), ...jsFiles(path.join(sources, '..', '..', 'common'))];
}

function jsFiles(folder: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? jsFiles(path.join(folder, e.name)) : e.name.endsWith('.js') ? [path.join(folder, e.name)] : []));
}
