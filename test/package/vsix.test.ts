import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listZipEntries, type ZipEntry } from './zip';
import { readManifest, readRepoFile, REPO_ROOT } from './repo';

const MAX_VSIX_BYTES = 10 * 1024 * 1024;

/**
 * What a .vsix of this extension may contain (vsce renames LICENSE, README.md and CHANGELOG.md).
 * Mirrors the allow-list in .vscodeignore: anything else in the package is a leak.
 */
const ALLOWED: readonly RegExp[] = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/,
  /^extension\/changelog\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/THIRD_PARTY_NOTICES\.md$/,
  /^extension\/images\/icon\.png$/,
  /^extension\/dist\/[^/]+\.js$/,
  /^extension\/dist\/[^/]+\.wasm$/,
  /^extension\/syntaxes\/[^/]+\.tmLanguage\.json$/,
  /^extension\/walkthrough\/[^/]+\.md$/,
];

/** Every file package.json and the server point at, which the package must therefore hold. */
function requiredFiles(): string[] {
  const manifest = readManifest();
  const wasmFiles = JSON.parse(readRepoFile('server/src/engine/wasm-files.json'));
  const wasm = [wasmFiles.runtime, ...Object.values(wasmFiles.grammars)].map((w: { file: string }) => `dist/${w.file}`);
  const grammars = (manifest.contributes.grammars ?? []).map((g: { path: string }) => g.path);
  const media = (manifest.contributes.walkthroughs ?? []).flatMap((w: { steps: { media: Record<string, string> }[] }) =>
    w.steps.flatMap((s) => Object.values(s.media)));
  return [manifest.main, 'dist/server.js', 'dist/cli.js', manifest.icon, ...wasm, ...grammars, ...media]
    .map((file: string) => `extension/${path.posix.normalize(file)}`);
}

function canRunWithoutNetwork(): boolean {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync('unshare', ['-n', '--', 'true'], { encoding: 'utf8' });
  return !probe.error && probe.status === 0;
}

describe('.vsix package', function () {
  this.timeout(180_000);
  let tmp: string;
  let vsixPath: string;
  let entries: ZipEntry[];
  let packagedOffline = false;

  before(function () {
    for (const bundle of ['client.js', 'server.js', 'cli.js']) {
      assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', bundle)), `dist/${bundle} is missing: run \`node scripts/build.mjs\` first`);
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-vsix-'));
    vsixPath = path.join(tmp, 'pinning-audit.vsix');
    // The packaging half of `npm run package`, on whatever dist/ holds (npm test builds it first;
    // a development build also has .map files, which the allow-list must keep out).
    const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const command = [process.execPath, vsce, 'package', '--no-dependencies', '--out', vsixPath];
    // Packaging must work offline: where the platform lets us (Linux, as root), run it in a
    // network namespace with no network at all.
    packagedOffline = canRunWithoutNetwork();
    const [file, ...args] = packagedOffline ? ['unshare', '-n', '--', ...command] : command;
    const run = spawnSync(file, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 170_000 });
    if (run.error) throw run.error;
    assert.equal(run.status, 0, `vsce package failed:\n${run.stdout}\n${run.stderr}`);
    assert.doesNotMatch(run.stdout + run.stderr, /WARNING/, 'vsce warned');
    entries = listZipEntries(fs.readFileSync(vsixPath));
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('holds only the allow-listed files', function () {
    const leaked = entries.map((e) => e.name).filter((name) => !ALLOWED.some((allowed) => allowed.test(name)));
    assert.deepEqual(leaked, [], `files outside the allow-list in the .vsix:\n${leaked.join('\n')}`);
  });

  it('holds every file the manifest and the server need', function () {
    const names = new Set(entries.map((e) => e.name));
    const missing = requiredFiles().filter((file) => !names.has(file));
    assert.deepEqual(missing, [], `missing from the .vsix: ${missing.join(', ')}`);
    for (const name of ['extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt', 'extension/THIRD_PARTY_NOTICES.md']) {
      assert.ok(names.has(name), `${name} is missing`);
    }
  });

  it('stays under 10 MB', function () {
    const size = fs.statSync(vsixPath).size;
    assert.ok(size < MAX_VSIX_BYTES, `the .vsix is ${size} bytes`);
    const unpacked = entries.reduce((sum, e) => sum + e.size, 0);
    // Reported so that growth shows in the test output.
    console.log(`      .vsix: ${(size / 1024 / 1024).toFixed(2)} MB, ${entries.length} files, ${(unpacked / 1024 / 1024).toFixed(2)} MB unpacked${packagedOffline ? ', packaged with no network' : ''}`);
  });

  it('ships the manifest vsce and the Marketplace need', function () {
    const manifest = readManifest();
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.match(manifest.repository.url, /^https:\/\/github\.com\/pinning-audit\/pinning-audit(\.git)?$/);
    assert.equal(manifest.license, 'MIT');
    assert.match(readRepoFile('LICENSE'), /^MIT License\n\nCopyright \(c\) 2026 Pinning Audit contributors\n/);
    assert.ok(manifest.categories.includes('Linters'));
    assert.ok(Array.isArray(manifest.keywords) && manifest.keywords.length > 0);
  });

  it('has a 128x128 PNG icon', function () {
    const icon = fs.readFileSync(path.join(REPO_ROOT, readManifest().icon));
    assert.deepEqual([...icon.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.equal(icon.toString('ascii', 12, 16), 'IHDR');
    assert.equal(icon.readUInt32BE(16), 128, 'width');
    assert.equal(icon.readUInt32BE(20), 128, 'height');
  });

  it('is what `npm run package` builds: a production build, then vsce without dependency detection', function () {
    const script: string = readManifest().scripts.package;
    assert.match(script, /node scripts\/build\.mjs --production && vsce package --no-dependencies/);
  });
});
