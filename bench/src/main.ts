/**
 * `npm run bench`: generates a workspace per shape (a mono-repo of everyday files, and real apps'
 * large one-class files), then measures per shape the CLI scan (cold and with `--cache`) against
 * rg, and edit latency; on mono also ESLint + SonarJS and the server's memory; and the
 * cold start of the language server and the CLI's scan of an empty folder.
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
import { measureNodeStart } from './measure/node-start';
import { EDIT_FILES, measureEditLatency } from './measure/edit-latency';
import { measureEslint } from './measure/eslint';
import { measureRipgrep } from './measure/ripgrep';
import { measureServerMemory } from './measure/server-memory';
import { allTriggersPattern, quietSubset, triggerShare } from './measure/triggers';
import { measureWarmScan } from './measure/warm-scan';
import type { ShapeName } from './generate/shape';
import { parseOptions, type BenchOptions, type Section } from './options';
import { budgets, formatReport, type BenchResults, type ShapeResults } from './report';

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

/** One shape's workspace: generated (or reused), then its scans, rg and edit latency. */
async function measureShape(shape: ShapeName, options: BenchOptions, runs: (section: Section) => boolean): Promise<ShapeResults> {
  const skipped = [...SKIPPED_FOLDERS];
  const name = `${shape}-${options.files}-${options.seed}`;
  let done = step(`[${shape}] Workspace of ${options.files.toLocaleString('en-US')} files (seed ${options.seed})`);
  const workspaceDir = path.join(CACHE, `workspace-${name}`);
  const { manifest } = ensureWorkspace(workspaceDir, shape, options.files, options.seed);
  const editDir = path.join(CACHE, `edit-files-${shape}-${options.seed}`);
  fs.mkdirSync(editDir, { recursive: true });
  for (const { language, file } of EDIT_FILES) fs.writeFileSync(path.join(editDir, file), editFile(shape, language, options.seed));
  done();
  const results: ShapeResults = { workspace: manifest };

  done = step(`[${shape}] Trigger words in the workspace`);
  const { quietFiles, ...shareSummary } = triggerShare(workspaceDir, skipped);
  results.triggers = shareSummary;
  const quietDir = path.join(CACHE, `workspace-${name}-no-trigger-words`);
  const quiet = quietSubset(workspaceDir, quietDir, quietFiles);
  done();

  if (runs('scan')) {
    done = step(`[${shape}] CLI scan, ${options.runs} runs`);
    results.scan = await measureCliScan(REPO_ROOT, workspaceDir, options.runs, path.join(CACHE, `scan-report-${shape}.json`));
    done();
  }
  if (runs('warm')) {
    done = step(`[${shape}] CLI scan --cache, one run to fill the cache, then ${options.runs} warm runs`);
    results.warmScan = await measureWarmScan(REPO_ROOT, workspaceDir, options.runs, path.join(CACHE, `scan-report-${shape}-warm.json`));
    done();
  }
  if (runs('rg')) {
    done = step(`[${shape}] rg, ${options.runs} runs`);
    results.ripgrep = await measureRipgrep(workspaceDir, allTriggersPattern(), skipped, options.runs);
    done();
  }
  if (runs('scan') && runs('rg')) {
    done = step(`[${shape}] CLI scan and rg on the ${quiet.files.toLocaleString('en-US')} files without trigger words, ${options.runs} runs each`);
    const scan = await measureCliScan(REPO_ROOT, quietDir, options.runs, path.join(CACHE, `scan-report-${shape}-no-trigger-words.json`));
    const rg = await measureRipgrep(quietDir, allTriggersPattern(), skipped, options.runs);
    results.withoutTriggerWords = { files: quiet.files, bytes: quiet.bytes, scanMs: scan.wallMs, scanCpuMs: scan.cpuMs, scanPeakRssMiB: scan.peakRssMiB, rgMs: rg.wallMs, rgMatches: rg.matchedFiles };
    done();
  }
  if (runs('edits')) {
    done = step(`[${shape}] Edit latency, ${options.edits} edits per language`);
    results.editLatency = await measureEditLatency(SERVER_BUNDLE, editDir, options.edits);
    done();
  }
  return results;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const runs = (section: Section) => !options.skip.has(section);
  fs.mkdirSync(CACHE, { recursive: true });

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
    shapes: {},
  };

  for (const shape of options.shapes) partial.shapes[shape] = await measureShape(shape, options, runs);

  // The peers and the server's memory on mono, as before; the start-up measurements need no workspace.
  const mono = options.shapes.includes('mono') ? path.join(CACHE, `workspace-mono-${options.files}-${options.seed}`) : undefined;
  let done: () => void;
  if (runs('eslint') && mono) {
    const eslintRuns = options.eslintRuns ?? 3;
    done = step(`[mono] ESLint + SonarJS, ${eslintRuns} run${eslintRuns > 1 ? 's' : ''}`);
    partial.eslint = await measureEslint(path.join(CACHE, 'peers'), mono, eslintRuns, [...SKIPPED_FOLDERS], path.join(CACHE, 'eslint-report.json'));
    done();
  }
  if (runs('memory') && mono) {
    done = step(`[mono] Server memory: workspace scan, then ${options.memoryEdits} edits`);
    partial.serverMemory = await measureServerMemory(SERVER_BUNDLE, mono, path.join(CACHE, `edit-files-mono-${options.seed}`), options.memoryEdits);
    done();
  }
  if (runs('cold')) {
    done = step(`Cold start, ${options.runs} runs`);
    partial.coldStart = await measureColdStart(SERVER_BUNDLE, path.join(CACHE, 'cold-start'), options.runs);
    done();
  }
  if (runs('empty')) {
    done = step(`CLI scan of an empty folder, ${options.runs} runs`);
    const empty = path.join(CACHE, 'empty-folder');
    fs.rmSync(empty, { recursive: true, force: true });
    fs.mkdirSync(empty);
    partial.emptyScan = await measureCliScan(REPO_ROOT, empty, options.runs, path.join(CACHE, 'scan-report-empty.json'));
    partial.nodeStart = await measureNodeStart(options.runs);
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
