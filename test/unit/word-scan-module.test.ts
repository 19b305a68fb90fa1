/**
 * The word search's WebAssembly (server/src/engine/word-scan-module.ts) is what its source,
 * word-scan.wat, assembles to: the committed module is generated, and an edit of the source
 * that was not assembled again would leave the engine running the old search.
 * Fix: npm run wasm
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers/engine';

interface WordScanSourceScript {
  wordScanModuleSource(wat: string): Promise<string>;
}

describe('word search module', function () {
  it('is word-scan.wat assembled (npm run wasm)', async function () {
    // The generator is an ES module; this test compiles to CommonJS, where import() still loads it.
    const script = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'build-word-scan.mjs')).href)) as WordScanSourceScript;
    const engine = path.join(REPO_ROOT, 'server', 'src', 'engine');
    const expected = await script.wordScanModuleSource(fs.readFileSync(path.join(engine, 'word-scan.wat'), 'utf8'));
    assert.equal(fs.readFileSync(path.join(engine, 'word-scan-module.ts'), 'utf8').replace(/\r\n/g, '\n'), expected, 'run `npm run wasm`');
  });
});
