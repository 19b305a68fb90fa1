// The GitHub Action (action.yml) and the pre-commit hook, run as their hosts would run them,
// locally: the action's shell steps with its inputs and outputs, the hook on a staged file.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { REPO_ROOT } from '../helpers/engine';
import { assertValidSarif } from './sarif-schema';

interface ActionStep {
  name: string;
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const AGENT = "import * as https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n";

type Outputs = Record<string, Record<string, string>>;

/** The runner's values action.yml reads, as a Linux runner gives them (`runner.temp` is the test's). */
const runner: Record<string, string> = { 'runner.os': 'Linux', 'github.sha': '0123456789abcdef0123456789abcdef01234567' };

/** `inputs.x`, `steps.id.outputs.y` and the runner's values, the only ones action.yml reads. */
function value(expression: string, inputs: Record<string, string>, outputs: Outputs): string {
  if (expression in runner) return runner[expression];
  const input = /^inputs\.([\w-]+)$/.exec(expression);
  if (input) return inputs[input[1]] ?? '';
  const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
  if (output) return outputs[output[1]]?.[output[2]] ?? '';
  throw new Error(`unexpected expression ${expression} in action.yml`);
}

function expand(text: string, inputs: Record<string, string>, outputs: Outputs): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => value(expression, inputs, outputs));
}

function readOutputs(file: string): Record<string, string> {
  return Object.fromEntries(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
}

describe('CI integrations', function () {
  this.timeout(120_000);
  let workspace: string;

  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pinning-audit-ci-'));
    runner['runner.temp'] = path.join(workspace, 'runner-temp');
    fs.mkdirSync(runner['runner.temp']);
    fs.mkdirSync(path.join(workspace, 'src'));
    fs.writeFileSync(path.join(workspace, 'src', 'agent.ts'), AGENT);
  });
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

  /** Runs the action's steps in order, as the runner would, with the steps that use other actions (upload, cache) recorded rather than run. */
  function runAction(given: Record<string, string>, extraEnv: Record<string, string> = {}): { exitCode: number; uploads: ActionStep[]; log: string } {
    const action = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as Action;
    assert.equal(action.runs.using, 'composite');
    const inputs = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])), ...given };
    const outputs: Outputs = {};
    const uploads: ActionStep[] = [];
    let log = '';
    let failed = 0;
    for (const step of action.runs.steps) {
      // The conditions action.yml uses, evaluated like the runner does.
      if (step.if !== undefined && !evaluate(step.if, inputs, outputs, failed !== 0)) continue;
      if (step.uses) {
        uploads.push({ ...step, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v, inputs, outputs)])) });
        continue;
      }
      const outputFile = path.join(workspace, `output-${step.id ?? 'step'}`);
      fs.writeFileSync(outputFile, '');
      const env = { ...process.env, ...extraEnv, RUNNER_TEMP: runner['runner.temp'], GITHUB_ACTION_PATH: REPO_ROOT, GITHUB_OUTPUT: outputFile, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, inputs, outputs)])) };
      assert.equal(step.shell, 'bash');
      const run = spawnSync('bash', ['-e', '-c', expand(step.run!, inputs, outputs)], { cwd: workspace, env, encoding: 'utf8' });
      log += run.stdout + run.stderr;
      if (step.id) outputs[step.id] = readOutputs(outputFile);
      if (run.status !== 0) failed = run.status ?? 1;
    }
    return { exitCode: failed, uploads, log };
  }

  it('the action scans, writes a valid SARIF file, uploads it, then fails the job on an error finding', () => {
    const { exitCode, uploads, log } = runAction({ path: 'src' });
    assert.equal(exitCode, 1, log);
    assert.match(log, /src\/agent\.ts:2:\d+ error trust-all-certificates/);
    assert.deepEqual(uploads.map((u) => [u.uses, u.with]), [['github/codeql-action/upload-sarif@v3', { sarif_file: 'pinning-audit.sarif', category: 'pinning-audit' }]]);
    const sarif = JSON.parse(fs.readFileSync(path.join(workspace, 'pinning-audit.sarif'), 'utf8'));
    assertValidSarif(sarif);
    assert.equal(sarif.runs[0].results.length, 1);
  });

  it('the action passes with the finding in its baseline, and still uploads', () => {
    const baseline = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'pinning-audit.js'), 'scan', 'src', '--write-baseline', 'baseline.json', '--fail-on', 'none', '--quiet'], { cwd: workspace, encoding: 'utf8' });
    assert.equal(baseline.status, 0, baseline.stderr);
    const { exitCode, uploads, log } = runAction({ path: 'src', baseline: 'baseline.json' });
    assert.equal(exitCode, 0, log);
    assert.match(log, /0 findings, 1 baselined/);
    assert.equal(uploads.length, 1);
  });

  it('the action keeps its cache in the runner\'s temp folder, restored by actions/cache when asked: a second run parses nothing', () => {
    const env = { PINNING_AUDIT_DEBUG: 'cache' };
    const first = runAction({ path: 'src', cache: 'true' }, env);
    assert.equal(first.exitCode, 1, first.log);
    const cacheStep = first.uploads.find((u) => u.uses === 'actions/cache@v4');
    assert.deepEqual(cacheStep?.with, {
      path: path.join(runner['runner.temp'], 'pinning-audit-cache'),
      key: `pinning-audit-Linux-${runner['github.sha']}`,
      'restore-keys': 'pinning-audit-Linux-',
    });
    assert.equal(fs.readdirSync(cacheStep.with.path).length, 1, 'one cache file, in the folder actions/cache keeps');
    // [from the cache, files, parsed] of each scan: the SARIF scan fills the cache, the text report's reads it all.
    const stats = (log: string) => [...log.matchAll(/cache: (\d+) of (\d+) files from .*, (\d+) parsed/g)].map((m) => m.slice(1).map(Number));
    assert.deepEqual(stats(first.log), [[0, 1, 1], [1, 1, 0]], first.log);
    const second = runAction({ path: 'src', cache: 'true' }, env);
    assert.equal(second.exitCode, 1, second.log);
    assert.deepEqual(stats(second.log), [[1, 1, 0], [1, 1, 0]], second.log);
    // Off (the default), the two scans of a run still share one.
    assert.ok(!runAction({ path: 'src' }).uploads.some((u) => u.uses === 'actions/cache@v4'));
  });

  it('the pre-commit hook fails on a staged file with an error finding and passes on a clean one', () => {
    const hook = (yaml.load(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files: string }[])[0];
    assert.equal(hook.id, 'pinning-audit');
    assert.equal(hook.language, 'script');
    assert.ok(new RegExp(hook.files).test('lib/pins.dart') && new RegExp(hook.files).test('ios/Runner/Info.plist'));
    const run = (file: string) => spawnSync(path.join(REPO_ROOT, hook.entry), [file], { cwd: workspace, encoding: 'utf8' });
    const failing = run('src/agent.ts');
    assert.equal(failing.status, 1, failing.stderr);
    assert.match(failing.stdout, /trust-all-certificates/);
    fs.writeFileSync(path.join(workspace, 'src', 'clean.ts'), 'export const x = 1;\n');
    assert.equal(run('src/clean.ts').status, 0);
  });
});

/**
 * The conditions action.yml uses, as the runner evaluates them: `&&` of `always()` and
 * comparisons of a value with a quoted string; without `always()` a step runs only while no
 * earlier step failed.
 */
function evaluate(condition: string, inputs: Record<string, string>, outputs: Outputs, jobFailed: boolean): boolean {
  const parts = condition.split('&&').map((part) => part.trim());
  if (!parts.includes('always()') && jobFailed) return false;
  return parts.every((part) => {
    if (part === 'always()') return true;
    const comparison = /^([\w.-]+)\s*(==|!=)\s*'(.*)'$/.exec(part);
    if (!comparison) throw new Error(`unexpected condition ${part} in action.yml`);
    const [, left, operator, right] = comparison;
    const actual = value(left, inputs, outputs);
    return operator === '==' ? actual === right : actual !== right;
  });
}
