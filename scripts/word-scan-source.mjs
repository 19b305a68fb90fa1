// The TypeScript module that holds word-scan.wat assembled (scripts/build-word-scan.mjs), as
// text: what the committed file must be (test/unit/word-scan-module.test.ts).
import wabt from 'wabt';

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
