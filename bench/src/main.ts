/**
 * `npm run bench`: generates a mono-repo-shaped workspace, then measures the CLI scan against
 * ESLint + SonarJS and rg, edit latency, memory and cold start of the language server.
 * Bundled by bench/run.mjs to bench/.cache/bench.cjs, so the repository root is two levels up.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SKIPPED_FOLDERS } from '../../server/src/engine/scan';
import { editFile, ensureWorkspace } from './generate/workspace';
import { measureCliScan } from './measure/cli-scan';
import { measureColdStart } from './measure/cold-start';
import { EDIT_FILES, measureEditLatency } from './measure/edit-latency';
import { measureEslint } from './measure/eslint';
import { measureRipgrep } from './measure/ripgrep';
import { measureServerMemory } from './measure/server-memory';
import { allTriggersPattern, quietSubset, triggerShare } from './measure/triggers';
import { parseOptions, type Section } from './options';
import { budgets, formatReport, type BenchResults } from './report';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.join(REPO_ROOT, 'bench', '.cache');
const RESULTS = path.join(REPO_ROOT, 'bench', 'results');
const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');

function step(what: string): () => void {
  const started = performance.now();
  process.stderr.write(`• ${what}…`);
  return () => process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

function commit(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const runs = (section: Section) => !options.skip.has(section);
  const skipped = [...SKIPPED_FOLDERS];
  fs.mkdirSync(CACHE, { recursive: true });

  let done = step(`Workspace of ${options.files.toLocaleString('en-US')} files (seed ${options.seed})`);
  const workspaceDir = path.join(CACHE, `workspace-${options.files}-${options.seed}`);
  const { manifest } = ensureWorkspace(workspaceDir, options.files, options.seed);
  const editDir = path.join(CACHE, `edit-files-${options.seed}`);
  fs.mkdirSync(editDir, { recursive: true });
  for (const { language, file } of EDIT_FILES) fs.writeFileSync(path.join(editDir, file), editFile(language, options.seed));
  done();

  const partial: Omit<BenchResults, 'budgets'> = {
    meta: {
      date: new Date().toISOString(),
      label: options.label,
      node: process.versions.node,
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
      commit: commit(),
      options: { ...options, skip: [...options.skip] },
      // Other work on the machine skews wall times: the load says how busy it was.
      loadAverage: { start: os.loadavg()[0] },
    },
    workspace: manifest,
  };

  done = step('Trigger words in the workspace');
  const share = triggerShare(workspaceDir, skipped);
  const { quietFiles, ...shareSummary } = share;
  partial.triggers = shareSummary;
  const quietDir = path.join(CACHE, `workspace-${options.files}-${options.seed}-no-trigger-words`);
  const quiet = quietSubset(workspaceDir, quietDir, quietFiles);
  done();

  if (runs('scan')) {
    done = step(`CLI scan, ${options.runs} runs`);
    partial.scan = await measureCliScan(REPO_ROOT, workspaceDir, options.runs, path.join(CACHE, 'scan-report.json'));
    done();
  }
  if (runs('rg')) {
    done = step(`rg, ${options.runs} runs`);
    partial.ripgrep = await measureRipgrep(workspaceDir, allTriggersPattern(), skipped, options.runs);
    done();
  }
  if (runs('scan') && runs('rg')) {
    done = step(`CLI scan and rg on the ${quiet.files.toLocaleString('en-US')} files without trigger words, ${options.runs} runs each`);
    const scan = await measureCliScan(REPO_ROOT, quietDir, options.runs, path.join(CACHE, 'scan-report-no-trigger-words.json'));
    const rg = await measureRipgrep(quietDir, allTriggersPattern(), skipped, options.runs);
    partial.withoutTriggerWords = { files: quiet.files, bytes: quiet.bytes, scanMs: scan.wallMs, scanPeakRssMiB: scan.peakRssMiB, rgMs: rg.wallMs, rgMatches: rg.matchedFiles };
    done();
  }
  if (runs('eslint')) {
    const eslintRuns = options.eslintRuns ?? 3;
    done = step(`ESLint + SonarJS, ${eslintRuns} run${eslintRuns > 1 ? 's' : ''}`);
    partial.eslint = await measureEslint(path.join(CACHE, 'peers'), workspaceDir, eslintRuns, skipped, path.join(CACHE, 'eslint-report.json'));
    done();
  }
  if (runs('edits')) {
    done = step(`Edit latency, ${options.edits} edits per language`);
    partial.editLatency = await measureEditLatency(SERVER_BUNDLE, editDir, options.edits);
    done();
  }
  if (runs('memory')) {
    done = step(`Server memory: workspace scan, then ${options.memoryEdits} edits`);
    partial.serverMemory = await measureServerMemory(SERVER_BUNDLE, workspaceDir, editDir, options.memoryEdits);
    done();
  }
  if (runs('cold')) {
    done = step(`Cold start, ${options.runs} runs`);
    partial.coldStart = await measureColdStart(SERVER_BUNDLE, path.join(CACHE, 'cold-start'), options.runs);
    done();
  }

  partial.meta.totalSeconds = Math.round((performance.now() - started) / 100) / 10;
  partial.meta.loadAverage!.end = os.loadavg()[0];
  const results: BenchResults = { ...partial, budgets: budgets(partial) };
  fs.mkdirSync(RESULTS, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  fs.writeFileSync(path.join(RESULTS, 'latest.json'), json);
  if (options.label) fs.writeFileSync(path.join(RESULTS, `${options.label.replace(/[^\w.-]/g, '_')}.json`), json);
  process.stdout.write(`\n${formatReport(results)}`);
  process.stdout.write(`\nTotal ${results.meta.totalSeconds} s. Results: ${path.relative(process.cwd(), path.join(RESULTS, 'latest.json'))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
