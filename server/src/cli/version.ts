import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/**
 * The version in our package.json. The bundle sits in dist/, compiled sources deeper in
 * out/; walking up from here finds the same package.json from both.
 */
export function toolVersion(): string {
  if (cached !== undefined) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pinning-audit' && pkg.version) return (cached = pkg.version);
    } catch {
      // no (readable) package.json at this level: keep walking up
    }
    if (path.dirname(dir) === dir) return (cached = '0.0.0-unknown');
  }
}
