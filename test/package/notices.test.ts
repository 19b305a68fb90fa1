/**
 * THIRD_PARTY_NOTICES.md against what the last build bundled (dist/bundled-inputs.json, from
 * esbuild's metafile): a package that reaches dist/ without its licence fails here.
 * Fix: node scripts/build.mjs && node scripts/third-party-notices.mjs
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readRepoFile, REPO_ROOT } from './repo';

interface BundledPackage {
  name: string;
  version: string;
  license: string;
  dir: string;
  files: { file: string; text: string }[];
}
interface WasmComponent {
  file: string;
  pkg: BundledPackage;
  grammar?: { grammar: string; license: string; text: string };
}
interface NoticesScript {
  bundledPackages(root: string): BundledPackage[];
  wasmComponents(root: string): WasmComponent[];
}

const REGENERATE = 'run `node scripts/build.mjs && node scripts/third-party-notices.mjs`';

describe('THIRD_PARTY_NOTICES.md', function () {
  let script: NoticesScript;
  let notices: string;

  before(async function () {
    assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', 'bundled-inputs.json')), 'dist/bundled-inputs.json is missing: run `node scripts/build.mjs` first');
    // The generator is an ES module; this test compiles to CommonJS, where import() still loads it.
    script = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'third-party-notices.mjs')).href)) as NoticesScript;
    notices = readRepoFile('THIRD_PARTY_NOTICES.md').replace(/\r\n/g, '\n');
  });

  it('derives the bundled packages from the build: the runtime dependencies are among them', function () {
    const names = script.bundledPackages(REPO_ROOT).map((p) => p.name);
    for (const name of ['web-tree-sitter', 'vscode-languageserver', 'vscode-languageclient', 'vscode-jsonrpc', '@peculiar/x509', 'picomatch', 'reflect-metadata', 'tslib']) {
      assert.ok(names.includes(name), `${name} is not in the bundles`);
    }
  });

  it('has a section with the licence text of every bundled package', function () {
    for (const pkg of script.bundledPackages(REPO_ROOT)) {
      const heading = `### ${pkg.name} ${pkg.version}\n`;
      const at = notices.indexOf(heading);
      assert.ok(at >= 0, `no section for ${pkg.name} ${pkg.version}: ${REGENERATE}`);
      const next = notices.indexOf('\n### ', at + heading.length);
      const section = notices.slice(at, next < 0 ? undefined : next);
      assert.ok(section.includes(`Licence: ${pkg.license}.`), `${pkg.name}: licence ${pkg.license}`);
      for (const { file, text } of pkg.files) {
        assert.ok(section.includes(text.replace(/\r\n/g, '\n').trimEnd()), `${pkg.name}: ${file} is not reproduced: ${REGENERATE}`);
      }
    }
  });

  it('covers every .wasm file in dist/ and the grammar inside it', function () {
    const components = script.wasmComponents(REPO_ROOT);
    const shipped = fs.readdirSync(path.join(REPO_ROOT, 'dist')).filter((f) => f.endsWith('.wasm')).sort();
    assert.deepEqual(components.map((c) => c.file).sort(), shipped);
    for (const { file, pkg, grammar } of components) {
      assert.ok(notices.includes(`### ${file}\n`), `no section for ${file}: ${REGENERATE}`);
      assert.ok(notices.includes(`| ${pkg.name} (${file}) | ${pkg.version} | ${pkg.license} |`), `${file}: summary row`);
      if (grammar) {
        assert.equal(grammar.license, 'MIT', `${file}: the grammar licence`);
        assert.ok(notices.includes(grammar.text.trimEnd()), `${file}: the ${grammar.grammar} licence text`);
      }
    }
  });
});
