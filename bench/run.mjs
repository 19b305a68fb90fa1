// `npm run bench -- [options]`: builds the extension's bundles (the benchmark measures
// dist/), bundles the benchmark itself into bench/.cache, and runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (!args.includes('--help') && !args.includes('-h')) {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}
const outfile = path.join(root, 'bench', '.cache', 'bench.cjs');
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['bench/src/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  logLevel: 'warning',
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
});
const run = spawnSync(process.execPath, [outfile, ...args], { cwd: root, stdio: 'inherit' });
process.exitCode = run.status ?? 1;
