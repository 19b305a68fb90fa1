/**
 * `scan --cache`: a warm run prints what a cold one prints and parses nothing that did not
 * change; anything an outcome depends on (content, settings, engine, date, the manifests a
 * network security config's note reads) invalidates it; a cache file that is not one, or a
 * location that cannot be written, costs one line on stderr and never the result.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { digest } from '../../server/src/cache/cache-file';
import { DEFAULT_CACHE_FILE } from '../../server/src/cli/cache-location';
import { scanWorkspace, type ScanReport, type WorkspaceScanOptions } from '../../server/src/cli/scan';
import { TODAY_VARIABLE } from '../../server/src/engine/clock';
import { runCliInProcess } from '../helpers/cli';
import { CLI_BIN, REPO_ROOT, runBuiltCli } from './workspace';

/** The rule fixtures and the examples: every language, pin sets, dated pin sets, Android configs and their manifests. */
function createWorkspace(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-cache-')));
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures'), path.join(root, 'fixtures'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(root, 'examples'), { recursive: true });
  return root;
}

/** The day the fixtures' expectations hold for (test/unit/fixtures.test.ts). */
const FIXTURES_TODAY = '2026-12-04';

const INSECURE_TS = "import * as https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n";

/** What a report says, without its timing and cache counts (as JSON: the cache holds no `undefined` fields). */
function comparable(report: ScanReport) {
  return JSON.parse(JSON.stringify({ files: report.files, findings: report.findings, skipped: report.skipped })) as unknown;
}

/** The `cache:` line PINNING_AUDIT_DEBUG=cache prints: [from the cache, files, parsed]. */
function cacheStats(stderr: string): [number, number, number] {
  const m = /cache: (\d+) of (\d+) files from .*, (\d+) parsed/.exec(stderr);
  assert.ok(m, stderr);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l !== '');
}

describe('CLI scan cache', function () {
  this.timeout(180_000);
  let root: string;
  let today: string | undefined;
  const scan = (extra: Partial<WorkspaceScanOptions> = {}) => scanWorkspace({ root, cacheFile: path.join(root, DEFAULT_CACHE_FILE), ...extra });

  beforeEach(() => {
    root = createWorkspace();
    today = process.env[TODAY_VARIABLE];
    process.env[TODAY_VARIABLE] = FIXTURES_TODAY;
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    if (today === undefined) delete process.env[TODAY_VARIABLE];
    else process.env[TODAY_VARIABLE] = today;
  });

  it('prints the same report warm as cold, in every format, and parses no unchanged file', async () => {
    // (GitLab's report holds the scan's times.)
    for (const format of ['json', 'sarif', 'text']) {
      fs.rmSync(path.join(root, DEFAULT_CACHE_FILE), { force: true });
      const uncached = await runCliInProcess(['scan', '--format', format, '--fail-on', 'none'], root);
      const cold = await runCliInProcess(['scan', '--cache', '--format', format, '--fail-on', 'none'], root);
      const warm = await runCliInProcess(['scan', '--cache', '--format', format, '--fail-on', 'none'], root);
      assert.equal(cold.stdout, uncached.stdout, format);
      assert.equal(warm.stdout, cold.stdout, format);
      assert.equal(warm.stderr, cold.stderr, format);
      assert.equal(warm.code, cold.code, format);
    }
    for (const jobs of [1, 2]) {
      fs.rmSync(path.join(root, DEFAULT_CACHE_FILE), { force: true });
      const cold = await scan({ jobs });
      const warm = await scan({ jobs });
      assert.ok(cold.parsedFiles! > 50, `${cold.parsedFiles} parsed`);
      assert.equal(cold.cachedFiles, 0);
      assert.equal(warm.parsedFiles, 0, `jobs ${jobs}`);
      assert.equal(warm.cachedFiles, warm.files);
      assert.deepEqual(comparable(warm), comparable(cold));
    }
  });

  it('is shared by runs in every format: a SARIF run after another audits only the files with findings again (for their fixes)', async () => {
    const env = { PINNING_AUDIT_DEBUG: 'cache' };
    const run = (format: string) => runCliInProcess(['scan', '--cache', '--format', format, '--fail-on', 'none'], root, env);
    const [, files, coldParsed] = cacheStats((await run('json')).stderr);
    assert.ok(coldParsed > 50);
    assert.deepEqual(cacheStats((await run('text')).stderr), [files, files, 0]);
    const sarif = await run('sarif');
    const withFindings = new Set((await scanWorkspace({ root })).findings.map((f) => f.path)).size;
    assert.ok(withFindings > 0 && withFindings < coldParsed);
    assert.deepEqual(cacheStats(sarif.stderr), [files - withFindings, files, withFindings]);
    assert.equal(sarif.stdout, (await runCliInProcess(['scan', '--format', 'sarif', '--fail-on', 'none'], root)).stdout);
    for (const format of ['json', 'text', 'gitlab', 'sarif']) {
      assert.deepEqual(cacheStats((await run(format)).stderr), [files, files, 0], format);
    }
  });

  it('audits a changed file again, and only that one', async () => {
    await scan();
    const changed = path.join(root, 'examples', 'node_app', 'clean.ts');
    fs.mkdirSync(path.dirname(changed), { recursive: true });
    fs.writeFileSync(changed, INSECURE_TS);
    fs.appendFileSync(path.join(root, 'fixtures', 'trust-all-certificates', 'accept-all.ts'), '\n');
    const warm = await scan();
    assert.equal(warm.parsedFiles, 2);
    assert.equal(warm.cachedFiles, warm.files - 2);
    assert.ok(warm.findings.some((f) => f.path === changed && f.ruleId === 'trust-all-certificates'));
    assert.deepEqual(comparable(warm), comparable(await scanWorkspace({ root })));
  });

  it('reads a file whose stat is as cached only when it is old enough, and still sees a same-size rewrite', async () => {
    // Files changed within 2 s of a scan get no stat in the cache (the same size and times may hide another content).
    const file = path.join(root, 'fixtures', 'trust-all-certificates', 'accept-all.ts');
    const old = new Date(Date.now() - 60_000);
    await scan();
    // An entry is [hash, stamp or 0, outcome or 0, ...], under the path relative to the root.
    const stamp = () => (JSON.parse(fs.readFileSync(path.join(root, DEFAULT_CACHE_FILE), 'utf8').split('\n')[1]) as Record<string, unknown[]>)[path.relative(root, file).split(path.sep).join('/')][1];
    assert.equal(stamp(), 0);
    for (;;) {
      const stat = fs.statSync(file);
      if (Date.now() - Math.max(stat.ctimeMs, stat.mtimeMs) > 2500) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await scan();
    assert.ok(stamp(), 'an old file keeps its stat');
    // The same size, the modification time set back: only the change time tells.
    const before = fs.readFileSync(file, 'utf8');
    assert.ok(before.includes('false'));
    fs.writeFileSync(file, before.replace('false', 'true!'));
    fs.utimesSync(file, old, fs.statSync(file).mtime);
    assert.equal(fs.statSync(file).size, Buffer.byteLength(before));
    const warm = await scan();
    assert.equal(warm.parsedFiles, 1);
    assert.deepEqual(comparable(warm), comparable(await scanWorkspace({ root })));
  });

  it('starts over when a setting that changes outcomes changes', async () => {
    await scan();
    // An exclusion only changes which files are seen.
    assert.equal((await scan({ exclude: ['examples/**'] })).parsedFiles, 0);
    const variants: Partial<WorkspaceScanOptions>[] = [
      { rules: { 'single-pin': 'off' } },
      { rules: { 'single-pin': 'error' } },
      { rotationWarningDays: 400 },
      { maxFileSizeKb: 2 },
    ];
    for (const variant of variants) {
      const cold = await scan(variant);
      assert.ok(cold.parsedFiles! > 0, JSON.stringify(variant));
      assert.deepEqual(comparable(cold), comparable(await scanWorkspace({ root, ...variant })), JSON.stringify(variant));
      assert.equal((await scan(variant)).parsedFiles, 0, JSON.stringify(variant));
    }
  });

  it('re-audits the files whose findings depend on the date on another day, and only those', async () => {
    await scan();
    process.env[TODAY_VARIABLE] = '2027-06-01';
    const nextDay = await scan();
    assert.ok(nextDay.parsedFiles! > 0 && nextDay.parsedFiles! < 12, `${nextDay.parsedFiles} parsed`);
    assert.ok(nextDay.findings.some((f) => f.ruleId === 'pin-set-expired' && f.message.includes('expired on 2026-12-20')));
    assert.deepEqual(comparable(nextDay), comparable(await scanWorkspace({ root })));
  });

  it('keys a network security config on the manifests its note reads', async () => {
    const config = path.join(root, 'fixtures', 'pinning-not-enforced', 'app', 'src', 'main', 'res', 'xml', 'pinning_config.xml');
    const notInEffect = (report: ScanReport) => report.findings.some((f) => f.path === config && f.message.includes('not in effect'));
    assert.ok(notInEffect(await scan()));
    const manifest = path.join(root, 'fixtures', 'pinning-not-enforced', 'app', 'src', 'debug', 'AndroidManifest.xml');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace(/@xml\/[a-z_]+/, '@xml/pinning_config'));
    const warm = await scan();
    assert.ok(!notInEffect(warm));
    assert.deepEqual(comparable(warm), comparable(await scanWorkspace({ root })));
    // A manifest added to another source set counts too.
    fs.rmSync(manifest);
    assert.ok(notInEffect(await scan()));
  });

  it('keeps only the files the last scan saw', async () => {
    await scan();
    await scan({ paths: [path.join(root, 'examples')] });
    const body = JSON.parse(fs.readFileSync(path.join(root, DEFAULT_CACHE_FILE), 'utf8').split('\n')[1]) as Record<string, unknown>;
    const files = Object.keys(body);
    assert.ok(files.length > 0);
    assert.ok(files.every((f) => f.startsWith('examples/')), files.join('\n'));
  });

  it('ignores a damaged, truncated, foreign or other-format cache with one line, and reports right', async () => {
    const args = ['scan', '--cache', '--format', 'json', '--fail-on', 'none'];
    const expected = (await runCliInProcess(args, root)).stdout;
    const cacheFile = path.join(root, DEFAULT_CACHE_FILE);
    const good = fs.readFileSync(cacheFile, 'utf8');
    const [header, body] = [good.slice(0, good.indexOf('\n')), good.slice(good.indexOf('\n') + 1)];
    const withHeader = (change: Record<string, unknown>, newBody = body) => `${JSON.stringify({ ...JSON.parse(header), body: digest(newBody), ...change })}\n${newBody}`;
    const badEntry = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(body) as Record<string, unknown[]>).map(([k, [hash, stamp]]) => [k, [hash, stamp, { findings: 'none' }]])));
    const cases: [string, string | Buffer, RegExp][] = [
      ['truncated', good.slice(0, Math.floor(good.length / 2)), /damaged/],
      ['a flipped byte', good.replace('"ruleId":"', '"ruleId":"x'), /damaged/],
      ['only a header', header, /damaged/],
      ['binary garbage', Buffer.from([0x00, 0xff, 0x13, 0x37]), /not a pinning-audit scan cache/],
      ['empty', '', /not a pinning-audit scan cache/],
      ["another tool's JSON", JSON.stringify({ version: '7.0', files: {} }), /not a pinning-audit scan cache/],
      ['ESLint-like JSON lines', '[{"a":1}]\n{}', /not a pinning-audit scan cache/],
      ['another format version', withHeader({ format: 999 }), /another cache format/],
      ['entries of another shape under a valid checksum', withHeader({}, badEntry), /damaged/],
    ];
    for (const [what, content, why] of cases) {
      fs.writeFileSync(cacheFile, content);
      const run = await runCliInProcess(args, root);
      assert.equal(run.stdout, expected, what);
      const lines = stderrLines(run.stderr);
      assert.equal(lines.length, 1, `${what}: ${run.stderr}`);
      assert.match(lines[0], /^pinning-audit: ignoring the cache \.pinningauditcache: /, what);
      assert.match(lines[0], why, what);
      // The next run finds the cache this one wrote.
      assert.equal((await runCliInProcess(args, root)).stderr, '', what);
    }
    // Another engine (other files, so other stamps) or other settings are no damage: the
    // entries are quietly not used.
    fs.writeFileSync(cacheFile, withHeader({ engine: '0.0.1+0000000000000000', engineStamps: 'cli.js 1 2 3 4' }));
    const otherEngine = await scan({ warn: (line) => assert.fail(line) });
    assert.ok(otherEngine.parsedFiles! > 0);
    assert.equal(otherEngine.cachedFiles, 0);
  });

  it('says once that it cannot read the cache (a symbolic link loop) and replaces it', async () => {
    const cacheFile = path.join(root, DEFAULT_CACHE_FILE);
    fs.symlinkSync(cacheFile, cacheFile);
    const expected = (await runCliInProcess(['scan', '--format', 'json', '--fail-on', 'none'], root)).stdout;
    const run = await runCliInProcess(['scan', '--cache', '--format', 'json', '--fail-on', 'none'], root);
    assert.equal(run.stdout, expected);
    assert.deepEqual(stderrLines(run.stderr).map((l) => l.replace(/\(.*\)/, '(…)')), ['pinning-audit: ignoring the cache .pinningauditcache: cannot be read (…)']);
    assert.ok(fs.lstatSync(cacheFile).isFile());
  });

  it('warns once when the cache cannot be written, and the scan succeeds', async () => {
    fs.writeFileSync(path.join(root, 'not-a-folder'), 'x');
    const plain = await runCliInProcess(['scan', '--format', 'json'], root);
    const run = await runCliInProcess(['scan', '--cache', '--cache-location', 'not-a-folder/cache', '--format', 'json'], root);
    assert.equal(run.stdout, plain.stdout);
    assert.equal(run.code, plain.code);
    const lines = stderrLines(run.stderr);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /^pinning-audit: cannot write the cache not-a-folder\/cache: /);
  });

  it('takes --cache-location as a file, or as a folder that holds a file named after the current folder', async () => {
    const args = ['scan', '--cache', '--format', 'json', '--fail-on', 'none'];
    await runCliInProcess([...args, '--cache-location', 'caches/scan.cache'], root);
    assert.ok(fs.statSync(path.join(root, 'caches', 'scan.cache')).isFile());
    const named = `${DEFAULT_CACHE_FILE}_${digest(root).slice(0, 12)}`;
    // An existing folder, with or without a trailing slash; a new one needs the slash.
    await runCliInProcess([...args, '--cache-location', 'caches'], root);
    assert.ok(fs.statSync(path.join(root, 'caches', named)).isFile());
    await runCliInProcess([...args, '--cache-location', 'new-folder/'], root);
    assert.ok(fs.statSync(path.join(root, 'new-folder', named)).isFile());
    assert.ok(!fs.existsSync(path.join(root, DEFAULT_CACHE_FILE)));
    await runCliInProcess(args, root);
    assert.ok(fs.statSync(path.join(root, DEFAULT_CACHE_FILE)).isFile());
    const lonely = await runCliInProcess(['scan', '--cache-location', 'x'], root);
    assert.equal(lonely.code, 2);
    assert.match(lonely.stderr, /--cache-location is only read with --cache/);
  });

  it('agrees with an uncached scan under --fix, --baseline and --diff-base', async () => {
    const copy = createWorkspace();
    try {
      const args = ['scan', '--format', 'json', '--fail-on', 'none'];
      await runCliInProcess([...args, '--cache'], root);
      const fixedCached = await runCliInProcess([...args, '--cache', '--fix'], root);
      const fixedPlain = await runCliInProcess([...args, '--fix'], copy);
      assert.equal(fixedCached.stdout, fixedPlain.stdout);
      assert.equal((await runCliInProcess([...args, '--cache'], root)).stdout, fixedPlain.stdout);
      await runCliInProcess([...args, '--cache', '--write-baseline', 'baseline.json'], root);
      fs.appendFileSync(path.join(root, 'fixtures', 'trust-all-certificates', 'accept-all.ts'), INSECURE_TS);
      fs.appendFileSync(path.join(copy, 'fixtures', 'trust-all-certificates', 'accept-all.ts'), INSECURE_TS);
      fs.copyFileSync(path.join(root, 'baseline.json'), path.join(copy, 'baseline.json'));
      const baselined = await runCliInProcess([...args, '--cache', '--baseline', 'baseline.json'], root);
      assert.equal(baselined.stdout, (await runCliInProcess([...args, '--baseline', 'baseline.json'], copy)).stdout);
      assert.equal((JSON.parse(baselined.stdout) as { summary: { findings: number } }).summary.findings, 1);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('from the built CLI on threads: warm parses nothing; a rebuilt engine parses again', () => {
    const env = { PINNING_AUDIT_DEBUG: 'cache', [TODAY_VARIABLE]: FIXTURES_TODAY };
    const args = ['scan', '--cache', '--format', 'json', '--fail-on', 'none'];
    const cold = runBuiltCli(args, root, env);
    const warm = runBuiltCli(args, root, env);
    assert.equal(warm.stdout, cold.stdout);
    const [, files, coldParsed] = cacheStats(cold.stderr);
    assert.ok(coldParsed > 50);
    assert.deepEqual(cacheStats(warm.stderr), [files, files, 0]);

    // The same bundle elsewhere is the same engine; one changed byte in it is another.
    const install = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-install-'));
    try {
      fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(install, 'package.json'));
      fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(install, 'dist'), { recursive: true, filter: (f) => !f.endsWith('.map') });
      fs.cpSync(path.dirname(CLI_BIN), path.join(install, 'bin'), { recursive: true });
      const installed = path.join(install, 'bin', path.basename(CLI_BIN));
      const run = () => runBuiltCli(args, root, env, installed);
      assert.deepEqual(cacheStats(run().stderr), [files, files, 0]);
      fs.appendFileSync(path.join(install, 'dist', 'cli.js'), '\n// another build\n');
      const rebuilt = run();
      assert.deepEqual(cacheStats(rebuilt.stderr), [0, files, coldParsed]);
      assert.equal(rebuilt.stdout, cold.stdout);
    } finally {
      fs.rmSync(install, { recursive: true, force: true });
    }
  });
});
