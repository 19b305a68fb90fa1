/**
 * `npm run test:reliability:long`: the reliability tests with their long runs (many more random
 * messages, frames and pins than `npm test` affords). The engine fuzzer's long run is
 * `npm run fuzz`. Extra arguments go to mocha (`-g frame` to run one part).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const mocha = require.resolve('mocha/bin/mocha.js');
const specs = path.join(__dirname, '*.test.js');
const run = spawnSync(process.execPath, [mocha, '--no-config', '--timeout', '900000', specs, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, PINNING_AUDIT_LONG_RUN: '1' },
});
process.exit(run.status ?? 1);
