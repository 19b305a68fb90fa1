import * as fs from 'node:fs';
import { crypto } from '../engine/node-builtins';
import { manifestsOfConfig } from '../platform/android-manifest';

/**
 * A digest of the files besides its own that a file's analysis reads, or undefined when it reads
 * none. Today that is one case: a network security config's note reads the AndroidManifest.xml
 * files of its module (platform/android-manifest.ts), so which manifests exist and what they say
 * is part of the config's cache key. Any rule that starts reading other files must add them here.
 */
export function otherInputsDigest(filePath: string): string | undefined {
  if (!filePath.endsWith('.xml')) return undefined;
  const manifests = manifestsOfConfig(filePath);
  if (!manifests) return undefined;
  const hash = crypto().createHash('sha256');
  for (const manifest of manifests) {
    hash.update(`${manifest}\0`);
    try {
      hash.update(fs.readFileSync(manifest));
    } catch (error) {
      hash.update(`unreadable: ${(error as NodeJS.ErrnoException).code}`);
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}
