// Bundles the client, the language server and the CLI with esbuild and puts the
// tree-sitter runtime and grammar .wasm files beside the server bundle.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const outdir = 'dist';
mkdirSync(outdir, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  // esbuild would pick web-tree-sitter's ES module build (which needs `import.meta.url` and ran
  // Swift parses ~20x slower in our measurements); bundle the CommonJS build the tests run.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
};

const builds = await Promise.all([
  esbuild.build({ ...common, metafile: true, entryPoints: { client: 'client/src/extension.ts' }, outdir }),
  esbuild.build({ ...common, metafile: true, entryPoints: { server: 'server/src/lsp/main.ts', cli: 'server/src/cli/main.ts', 'scan-worker': 'server/src/cli/scan-worker.ts' }, outdir }),
]);
// Which source files each bundle contains: THIRD_PARTY_NOTICES.md is derived from it
// (scripts/third-party-notices.mjs). Not shipped: .vscodeignore allows only the bundles and .wasm.
const bundledInputs = {};
for (const build of builds) {
  for (const [output, { inputs }] of Object.entries(build.metafile.outputs)) {
    if (output.endsWith('.js')) bundledInputs[path.posix.basename(output)] = Object.keys(inputs).sort();
  }
}
writeFileSync(path.join(outdir, 'bundled-inputs.json'), `${JSON.stringify(bundledInputs, null, 2)}\n`);

const wasmFiles = JSON.parse(readFileSync('server/src/engine/wasm-files.json', 'utf8'));
for (const { file, pkg, dir } of [wasmFiles.runtime, ...Object.values(wasmFiles.grammars)]) {
  copyFileSync(path.join('node_modules', pkg, dir, file), path.join(outdir, file));
}
