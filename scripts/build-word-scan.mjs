// Assembles server/src/engine/word-scan.wat into server/src/engine/word-scan-module.ts, the
// bytes the engine compiles (`npm run wasm`). The generated module is committed, so that a build
// needs no assembler; test/unit/word-scan-module.test.ts fails when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { wordScanModuleSource } from './word-scan-source.mjs';

const source = await wordScanModuleSource(readFileSync('server/src/engine/word-scan.wat', 'utf8'));
writeFileSync('server/src/engine/word-scan-module.ts', source);
console.log(`wrote server/src/engine/word-scan-module.ts (${source.length} characters)`);
