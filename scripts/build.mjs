// Bundles the client, the language server and the CLI with esbuild and puts the
// tree-sitter runtime and grammar .wasm files beside the server bundle.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const production = process.argv.includes('--production');
const outdir = 'dist';
mkdirSync(outdir, { recursive: true });

// `import * as fs from 'node:fs'` becomes `__toESM(require('node:fs'))` at each of its 50-odd
// sites: a copy of the module's every property, each through a new getter (4 ms of a 150 ms
// empty-folder scan). Imported through one module per built-in that re-exports it, each is
// copied once. require() calls (the lazy ones in engine/node-builtins.ts) stay as written.
const builtinsOnce = {
  name: 'builtins-once',
  setup(build) {
    build.onResolve({ filter: /^node:[a-z_/]+$/ }, (args) => {
      if (args.namespace === 'builtins-once') return { path: args.path, external: true };
      return args.kind === 'import-statement' ? { path: args.path, namespace: 'builtins-once' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'builtins-once' }, (args) => ({ contents: `export * from ${JSON.stringify(args.path)};`, loader: 'js' }));
  },
};

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
  plugins: [builtinsOnce],
};

// The CLI's other commands (X.509, TLS, the verify engine: half of its code) are one bundle of
// their own, which cli.js requires only when one of them runs: a scan starts without compiling them.
// Their import() becomes a require() (of a stub that requires the other bundle): cli.js runs from
// a V8 code cache (bin/load-bundle.js), and Node 20 cannot run a real import() from cached code.
const CLI_COMMANDS = { './spki.js': 'runSpki', './verify.js': 'runVerify', './backup-key.js': 'runBackupKey' };
const commandsApart = {
  name: 'cli-commands-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) => {
      if (args.path === './cli-commands.js' && args.namespace === 'cli-commands-apart') return { path: args.path, external: true };
      return args.path in CLI_COMMANDS && args.kind === 'dynamic-import' && args.importer.endsWith(path.join('cli', 'run.ts'))
        ? { path: 'cli-commands', namespace: 'cli-commands-apart' }
        : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'cli-commands-apart' }, () => ({ contents: "module.exports = require('./cli-commands.js');", loader: 'js' }));
  },
};
const commands = {
  contents: Object.entries(CLI_COMMANDS).map(([file, name]) => `export { ${name} } from '${file.replace(/\.js$/, '')}';`).join('\n'),
  resolveDir: 'server/src/cli',
  sourcefile: 'cli-commands.ts',
  loader: 'ts',
};

const builds = await Promise.all([
  esbuild.build({ ...common, metafile: true, entryPoints: { client: 'client/src/extension.ts' }, outdir }),
  esbuild.build({ ...common, metafile: true, entryPoints: { server: 'server/src/lsp/main.ts', 'scan-worker': 'server/src/cli/scan-worker.ts' }, outdir }),
  esbuild.build({ ...common, metafile: true, entryPoints: { cli: 'server/src/cli/main.ts' }, outdir, plugins: [...common.plugins, commandsApart] }),
  esbuild.build({ ...common, metafile: true, stdin: commands, outfile: path.join(outdir, 'cli-commands.js') }),
]);
// Which source files each bundle contains: THIRD_PARTY_NOTICES.md is derived from it
// (scripts/third-party-notices.mjs). Not shipped: .vscodeignore allows only the bundles and .wasm.
const bundledInputs = {};
for (const build of builds) {
  for (const [output, { inputs }] of Object.entries(build.metafile.outputs)) {
    if (output.endsWith('.js')) bundledInputs[path.posix.basename(output)] = Object.keys(inputs).sort();
  }
}
// A bundle with one non-ASCII character is held by V8 as a two-byte string: twice the memory, and
// the CLI starts 6 ms slower. esbuild escapes them in code; the comments it keeps, it keeps as written.
for (const output of Object.keys(bundledInputs)) {
  const lines = readFileSync(path.join(outdir, output), 'utf8').split('\n');
  const line = lines.findIndex((l) => /[^\x00-\x7f]/.test(l));
  if (line >= 0) throw new Error(`${outdir}/${output}:${line + 1}: a non-ASCII character (write it in ASCII in the source comment): ${lines[line].trim()}`);
}
writeFileSync(path.join(outdir, 'bundled-inputs.json'), `${JSON.stringify(bundledInputs, null, 2)}\n`);

// The V8 flags the CLI's bundle runs with (bin/load-bundle.js reads them beside it), and the
// loader itself, through which the CLI's scan threads load their bundle (cli/scan-workers.ts).
copyFileSync('common/v8-flags.json', path.join(outdir, 'v8-flags.json'));
copyFileSync('bin/load-bundle.js', path.join(outdir, 'load-bundle.js'));

const wasmFiles = JSON.parse(readFileSync('server/src/engine/wasm-files.json', 'utf8'));
for (const { file, pkg, dir } of [wasmFiles.runtime, ...Object.values(wasmFiles.grammars)]) {
  copyFileSync(path.join('node_modules', pkg, dir, file), path.join(outdir, file));
}

// The CLI's V8 code cache (bin/load-bundle.js): made by a scan of an empty folder, so it holds
// the functions every run compiles. Removed first, so a failed run leaves no stale cache behind.
const cliBundle = path.resolve(outdir, 'cli.js');
const workerBundle = path.resolve(outdir, 'scan-worker.js');
rmSync(`${cliBundle}.v8-cache`, { force: true });
rmSync(`${workerBundle}.v8-cache`, { force: true });
const emptyFolder = mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-build-'));
try {
  // argv[1] is the script under `node -e` too, as the CLI expects: `node -e CODE -- BIN ARGS`.
  const produce = `require(${JSON.stringify(path.resolve('bin/load-bundle.js'))}).loadBundle(process.argv[1], { produceCache: true })`;
  execFileSync(process.execPath, ['-e', produce, '--', cliBundle, 'scan', emptyFolder, '--format', 'json', '--output', path.join(emptyFolder, 'report.json'), '--fail-on', 'none'], { stdio: 'inherit' });
  // The scan threads' cache (cli/scan-workers.ts): made by the thread of a scan of the rule
  // fixtures (every rule, every language), so it holds the functions a thread compiles as it audits.
  execFileSync(process.execPath, ['bin/pinning-audit.js', 'scan', 'test/fixtures', '--jobs', '2', '--format', 'json', '--output', path.join(emptyFolder, 'fixtures.json'), '--fail-on', 'none'], {
    stdio: 'inherit',
    env: { ...process.env, PINNING_AUDIT_WRITE_THREAD_CACHE: '1' },
  });
} finally {
  rmSync(emptyFolder, { recursive: true, force: true });
}
// The loader says why a cache was not written, and the run goes on: the build does not.
for (const cache of [`${cliBundle}.v8-cache`, `${workerBundle}.v8-cache`]) {
  if (!existsSync(cache)) throw new Error(`${cache} was not written (see above)`);
}
