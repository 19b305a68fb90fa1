import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** V8's garbage collector (`gc()`), without `--expose-gc` on mocha's command line. */
export function collector(): (options?: { type: 'minor' | 'major' }) => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
}
