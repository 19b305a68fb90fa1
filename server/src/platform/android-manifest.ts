/**
 * Whether an app's manifest puts a network security config in effect. Android reads only the
 * file named by `<application android:networkSecurityConfig="@xml/<name>">`; any other
 * res/xml file with a `<network-security-config>` root is ignored at run time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attribute, childElements, parseXml } from './xml';

const MANIFEST = 'AndroidManifest.xml';

export interface ConfigReference {
  /** The manifests looked at (every source set of the module: main, debug, flavours). */
  manifests: string[];
  /** Whether one of them names the config. */
  referenced: boolean;
}

/**
 * For a config at `<module>/src/<set>/res/xml/<name>.xml`, which manifests of the module's
 * source sets name `@xml/<name>` (resources merge across source sets, so any may). Undefined
 * when the file is not in a `res/xml` folder: then there is no manifest to ask.
 */
export function configReference(configPath: string): ConfigReference | undefined {
  const manifests = manifestsOfConfig(configPath);
  if (!manifests) return undefined;
  const name = path.basename(configPath, '.xml');
  return { manifests, referenced: manifests.some((m) => namesConfig(m, name)) };
}

/**
 * The manifests `configReference` reads for a file, or undefined when it reads none. These are
 * the only files besides its own that an analysis reads: the scan cache keys such a file on
 * them too (cache/other-inputs.ts), so another disk read added to a rule must be added there.
 */
export function manifestsOfConfig(configPath: string): string[] | undefined {
  const xmlDir = path.dirname(configPath);
  const resDir = path.dirname(xmlDir);
  if (path.basename(xmlDir) !== 'xml' || path.basename(resDir) !== 'res') return undefined;
  return sourceSetManifests(path.dirname(resDir));
}

function sourceSetManifests(sourceSet: string): string[] {
  const src = path.dirname(sourceSet);
  const candidates = [path.join(sourceSet, MANIFEST)];
  try {
    for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
      const manifest = path.join(src, entry.name, MANIFEST);
      if (entry.isDirectory() && !candidates.includes(manifest)) candidates.push(manifest);
    }
  } catch {
    // No readable parent folder: only the config's own source set.
  }
  return candidates.filter((m) => fs.existsSync(m));
}

function namesConfig(manifestPath: string, name: string): boolean {
  try {
    const manifest = parseXml(fs.readFileSync(manifestPath, 'utf8'));
    return childElements(manifest.root, 'application').some((app) => attribute(app, 'android:networkSecurityConfig')?.value === `@xml/${name}`);
  } catch {
    return false; // a manifest we cannot read names nothing we can tell
  }
}
