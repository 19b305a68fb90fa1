// Assembles server/src/engine/word-scan.wat into server/src/engine/word-scan-module.ts, the
// bytes the engine compiles (`npm run wasm`). The generated module is committed, so that a build
// needs no assembler; test/unit/word-scan-module.test.ts fails when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

/** The TypeScript module that holds `wat` assembled: what the committed file must be. */
export async function wordScanModuleSource(wat) {
  const assembler = await wabt();
  const module = assembler.parseWat('word-scan.wat', wat, { simd: true });
  try {
    const { buffer } = module.toBinary({});
    const base64 = Buffer.from(buffer).toString('base64');
    const lines = base64.match(/.{1,100}/g).map((line) => `  '${line}'`).join(' +\n');
    return `// Generated from word-scan.wat by \`npm run wasm\` (scripts/build-word-scan.mjs): do not edit.
/** The word search (word-scan.wat), assembled: ${buffer.length} bytes of WebAssembly, base64. */
export const WORD_SCAN_WASM =
${lines};
`;
  } finally {
    module.destroy();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const engine = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'server', 'src', 'engine');
  const source = await wordScanModuleSource(readFileSync(path.join(engine, 'word-scan.wat'), 'utf8'));
  writeFileSync(path.join(engine, 'word-scan-module.ts'), source);
  console.log(`wrote server/src/engine/word-scan-module.ts (${source.length} characters)`);
}
