import * as fs from 'node:fs';
import * as path from 'node:path';
import { grammarForPath } from '../../server/src/engine/languages';

/** The Dart, Swift and TS/JS files under `dir`, `node_modules` left out. */
export function sourceFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFilesUnder(full);
    return grammarForPath(full) ? [full] : [];
  });
}
