// Builds the extension package exactly as a user would (`npm run package`) and finds the .vsix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from './processes';

export async function packageExtension(repoRoot: string, env: NodeJS.ProcessEnv): Promise<string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; scripts?: Record<string, string> };
  if (!manifest.scripts?.package) {
    throw new Error('package.json has no "package" script: the e2e run installs the .vsix that `npm run package` writes.');
  }
  const vsix = path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
  fs.rmSync(vsix, { force: true });
  await run('npm run package', 'npm', ['run', 'package'], { cwd: repoRoot, env, timeoutMs: 240_000 });
  if (!fs.existsSync(vsix)) throw new Error(`npm run package succeeded but did not write ${vsix}`);
  return vsix;
}
