'use strict';
// Runs a dist/ bundle as Node's require() would, but compiled from the V8 code cache that
// scripts/build.mjs writes beside it (`<bundle>.v8-cache`): the CLI then starts without
// parsing and compiling its 700 KB of JavaScript (a scan of an empty folder: ~20 ms of ~150).
// Node 20 has no module.enableCompileCache(); this is the same idea, with the cache made once,
// at build time, by the Node that runs it. A cache V8 cannot use (another Node, other V8 flags)
// is rejected by V8 itself; one written for another build of the bundle is ignored here. The
// bundle must not run import(): Node 20 cannot, from cached code (scripts/build.mjs makes the
// CLI's own import() a require()).
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const v8 = require('node:v8');
const { isAscii } = require('node:buffer');

/**
 * The V8 flags a bundle runs with: `v8-flags.json` beside it (the build copies common/v8-flags.json
 * there; the language server reads the same file). A cold scan spends about a fifth of its CPU in
 * V8's optimizing compiler (TurboFan, on helper threads beside the two scan threads, each of
 * which optimizes the same functions again); a smaller inlining budget makes each of its ~200
 * compilations smaller. bench/README.md (round 7): cold scans 6-9 % faster on both shapes. Set
 * before the bundle is compiled, when producing the code cache too: V8 rejects a cache made
 * under other flags.
 */
function v8Flags(bundle) {
  try {
    return JSON.parse(fs.readFileSync(path.join(path.dirname(bundle), 'v8-flags.json'), 'utf8'));
  } catch {
    return []; // a bundle copied without it runs with V8's defaults
  }
}

/**
 * The bundle's source as `Module.wrap()` gives it, read into one buffer between the wrapper's two
 * halves. `Module.wrap(text)` is a concatenation, which V8 copies into one flat string before it
 * compiles: 730 KB more of fresh pages, 3-5 ms of a 150 ms empty-folder scan. The bundles are
 * ASCII (scripts/build.mjs fails otherwise), which Latin-1 reads as fast as a copy; anything
 * else is decoded as UTF-8.
 */
function wrappedSource(bundle) {
  const [head, tail] = Module.wrapper;
  const fd = fs.openSync(bundle, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const bytes = Buffer.allocUnsafe(head.length + size + tail.length);
    let end = bytes.write(head, 0, 'latin1');
    for (let read = 1; read > 0 && end < head.length + size; end += read) read = fs.readSync(fd, bytes, end, head.length + size - end, null);
    if (end !== head.length + size) return Module.wrap(fs.readFileSync(bundle, 'utf8')); // changed while read
    end += bytes.write(tail, end, 'latin1');
    const wrapped = bytes.subarray(0, end);
    return isAscii(wrapped) ? wrapped.toString('latin1') : wrapped.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The cache file's header: which bundle file it was made from, checked before V8 sees it. */
function cacheHeader(stat) {
  return Buffer.from(`pinning-audit v8-cache ${stat.size} ${stat.mtimeMs}\n`);
}

/**
 * Loads `bundle` (a path) as a CommonJS module from its code cache when that cache matches it.
 * With `produceCache`, writes the cache when the process (or worker thread) exits instead: by
 * then it also holds the functions the run compiled lazily. `flagsBeforeCache` are set just
 * before the cache is made: V8 takes a cache only under the flags it was made with, and a run
 * may have set some since the bundle was loaded. Returns whether V8 accepted a cache.
 */
function loadBundle(bundle, { produceCache = false, flagsBeforeCache = [] } = {}) {
  for (const flag of v8Flags(bundle)) v8.setFlagsFromString(flag);
  const cacheFile = `${bundle}.v8-cache`;
  const stat = fs.statSync(bundle);
  const header = cacheHeader(stat);
  let cachedData;
  if (!produceCache) {
    try {
      const bytes = fs.readFileSync(cacheFile);
      if (bytes.subarray(0, header.length).equals(header)) cachedData = bytes.subarray(header.length);
    } catch {
      // No cache (a build without one, or a copied bundle): compile as require() would.
    }
  }
  const script = new vm.Script(wrappedSource(bundle), { filename: bundle, cachedData });
  const module = new Module(bundle, require.main);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(path.dirname(bundle));
  if (produceCache) {
    process.once('exit', () => {
      for (const flag of flagsBeforeCache) v8.setFlagsFromString(flag);
      // Said, not thrown: an exception in a worker thread's exit handler left the thread hanging.
      try {
        fs.writeFileSync(cacheFile, Buffer.concat([header, script.createCachedData()]));
      } catch (error) {
        process.stderr.write(`pinning-audit: the code cache ${cacheFile} was not written: ${error.message}\n`);
      }
    });
  }
  const run = script.runInThisContext();
  // require.main stays the bin: bundles that ask whether they are the entry point ask it.
  run.call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, path.dirname(bundle));
  module.loaded = true;
  return cachedData !== undefined && !script.cachedDataRejected;
}

module.exports = { loadBundle };
