import * as fs from 'node:fs';
import * as path from 'node:path';
import { crypto } from '../engine/node-builtins';
import { locateWasm, WASM_FILES } from '../engine/parser';
import { toolVersion } from '../cli/version';

/** An engine identity and the stat stamps of the files it was hashed from. */
export interface EngineIdentity {
  value: string;
  /** Size, modification and change time and inode of each file: what vouches for `value` later. */
  stamps: string;
}

let identity: EngineIdentity | undefined;

/**
 * What the findings of a file depend on besides its text and the settings: the version, plus a
 * hash of the code that runs the rules and of the grammars that parse for them. A version number
 * alone would keep stale findings across a rule change between releases (or in a development
 * build); the hash changes with any change to either.
 *
 * Hashing them reads 8 MB (the bundle and the grammars): `known`, an identity computed before
 * (the scan cache's header keeps one), is taken as it is while its stamps hold, as the cache
 * takes a file whose stamp holds as unchanged.
 */
export function engineIdentity(known?: { stamps?: string; value?: string }): EngineIdentity {
  const files = engineFiles();
  const stamps = files.map((file) => {
    const stat = fs.statSync(file);
    return `${path.basename(file)} ${stat.size} ${stat.mtimeMs} ${stat.ctimeMs} ${stat.ino}`;
  }).join('\n');
  if (identity?.stamps === stamps) return identity;
  if (known?.stamps === stamps && typeof known.value === 'string') return (identity = { stamps, value: known.value });
  const hash = crypto().createHash('sha256');
  for (const file of files) {
    hash.update(`${path.basename(file)}\0`);
    hash.update(fs.readFileSync(file));
  }
  return (identity = { stamps, value: `${toolVersion()}+${hash.digest('hex').slice(0, 16)}` });
}

function engineFiles(): string[] {
  return [...engineCode(), ...WASM_FILES.map(locateWasm)];
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
