/**
 * Edit latency on 5,000-line files in two shapes: the bench's own edit files, and one class of
 * ~600 methods with interpolation on most lines (large-class-files.ts). For each file: the
 * parser alone (full parse, re-parse after each single-character edit, the ranges it reports
 * changed, and how many nodes it reused or rebuilt), then edit → diagnostics through the real
 * language server over stdio, as `npm run bench` times it.
 *
 *   npm run build && npx tsc -p . && node out/bench/src/measure/large-class-edits.js [options]
 *
 * --edits N (200), --seed S, --only bench|app|large-class, --skip-lsp, --server BUNDLE (another
 * build's dist/server.js, to compare), --cpu-prof DIR (CPU profiles of the servers).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { Engine } from '../../../server/src/engine/analyze';
import type { CodeGrammarId } from '../../../server/src/engine/languages';
import { WorkspaceFacts } from '../../../server/src/engine/workspace';
import { toDiagnostics } from '../../../server/src/lsp/diagnostics';
import { OpenDocument } from '../../../server/src/lsp/documents';
import { applyChange, locateWasm, Parsers, WASM_FILES } from '../../../server/src/engine/parser';
import { patchSwiftScannerState } from '../../../server/src/engine/grammar-patches';
import { editFile } from '../generate/workspace';
import { median, percentile } from '../stats';
import { EDIT_FILES, measureEditLatency, singleCharacterEdits } from './edit-latency';
import { largeClassFile } from './large-class-files';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const GRAMMAR: Record<(typeof EDIT_FILES)[number]['language'], CodeGrammarId> = { dart: 'dart', swift: 'swift', typescript: 'typescript' };

interface Options {
  edits: number;
  seed: string;
  only?: string;
  lsp: boolean;
  server: string;
  cpuProfDir?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { edits: 200, seed: 'pinning-audit', lsp: true, server: path.join(REPO_ROOT, 'dist', 'server.js') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--edits') options.edits = Number(argv[++i]);
    else if (argv[i] === '--seed') options.seed = argv[++i];
    else if (argv[i] === '--only') options.only = argv[++i];
    else if (argv[i] === '--skip-lsp') options.lsp = false;
    else if (argv[i] === '--server') options.server = path.resolve(argv[++i]);
    else if (argv[i] === '--cpu-prof') options.cpuProfDir = path.resolve(argv[++i]);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}

/** What one re-parse did, from tree-sitter's own log (a separate, untimed pass). */
function reuseCounts(parser: Parser, text: string, old: Tree): Record<string, number> {
  const counts: Record<string, number> = {};
  parser.setLogger((message, isLex) => {
    if (isLex) return;
    const word = message.split(' ')[0];
    if (/^(reuse_node|cant_reuse|lexed_lookahead|shift|reduce)/.test(word)) counts[word] = (counts[word] ?? 0) + 1;
  });
  parser.parse(text, old)?.delete();
  parser.setLogger(null);
  return counts;
}

async function rawParser(grammar: CodeGrammarId): Promise<Parser> {
  const source = WASM_FILES.find((f) => f.file === `tree-sitter-${grammar}.wasm`)!;
  const bytes = fs.readFileSync(locateWasm(source));
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammar === 'swift' ? patchSwiftScannerState(bytes).bytes : bytes));
  return parser;
}

const ms = (n: number) => n.toFixed(1);

async function measureParser(parsers: Parsers, grammar: CodeGrammarId, text: string, edits: number, seed: string): Promise<string> {
  parsers.parse(grammar, text, undefined, 60_000).delete(); // the first parse compiles the grammar's code
  const full: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    parsers.parse(grammar, text).delete();
    full.push(performance.now() - started);
  }
  const raw = await rawParser(grammar);
  let tree = parsers.parse(grammar, text);
  let current = text;
  const times: number[] = [];
  const changed: number[] = [];
  let sample: Record<string, number> = {};
  let n = 0;
  for (const edit of singleCharacterEdits(text, edits, seed)) {
    if (n++ === edits >> 1) {
      // A tree of the raw parser's own language, edited the same way.
      const rawOld = raw.parse(current)!;
      sample = reuseCounts(raw, applyChange(current, edit, rawOld), rawOld);
      rawOld.delete();
    }
    const next = applyChange(current, edit, tree);
    const started = performance.now();
    const newTree = parsers.parse(grammar, next, tree);
    times.push(performance.now() - started);
    changed.push(newTree.getChangedRanges(tree).length);
    tree.delete();
    tree = newTree;
    current = next;
  }
  tree.delete();
  raw.delete();
  return `full parse median ${ms(median(full))} ms; re-parse p50 ${ms(median(times))} ms, p95 ${ms(percentile(times, 95))} ms; ` +
    `changed ranges p95 ${percentile(changed, 95)}; one re-parse: ${JSON.stringify(sample)}`;
}

/**
 * Where an edit's time goes in the server, in this process: the same steps as its handler and
 * auditor (apply the change, re-parse, the triggered rules, diagnostics), one by one, in CPU
 * time of this process: on a busy machine wall times of a few milliseconds mostly measure
 * the other processes. For Dart the re-parse step is empty: the rules' step parses the parts
 * they need, and the whole tree only when those will not do.
 */
function measurePhases(engine: Engine, language: (typeof EDIT_FILES)[number], text: string, edits: number): string {
  const document = new OpenDocument(`file:///phases/${language.file}`, language.languageId, 1, text);
  const workspace = new WorkspaceFacts();
  const phases: Record<'apply' | 'parse' | 'rules' | 'diagnostics' | 'free old tree', number[]> =
    { apply: [], parse: [], rules: [], diagnostics: [], 'free old tree': [] };
  const cpu: number[] = [];
  const time = (samples: number[], step: () => void) => {
    const started = process.cpuUsage();
    step();
    const used = process.cpuUsage(started);
    samples.push((used.user + used.system) / 1000);
  };
  document.parse(engine.parsers);
  let version = 1;
  for (const edit of singleCharacterEdits(text, edits, language.language)) {
    const cpuBefore = process.cpuUsage();
    time(phases.apply, () => document.applyChanges([edit], ++version));
    let result: ReturnType<Engine['analyze']> | undefined;
    // As the auditor: the whole tree re-parsed, or (Dart) the parts the rules need, parsed within the rules' step.
    let trees: ReturnType<OpenDocument['analysisTrees']> | undefined;
    time(phases.parse, () => (trees = document.analysisTrees(engine.parsers)));
    time(phases.rules, () => {
      const input = { id: `/phases/${language.file}`, relativePath: language.file, grammar: document.grammar!, text: document.text };
      result = engine.analyze({ ...input, ...trees, lineStarts: document.lineStarts }, { workspace });
    });
    time(phases.diagnostics, () => JSON.stringify(toDiagnostics(result!.findings, () => undefined, version)));
    time(phases['free old tree'], () => document.deleteReplacedTrees());
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  document.deleteTree();
  const summary = Object.entries(phases).map(([phase, samples]) => `${phase} ${ms(median(samples))}/${ms(percentile(samples, 95))}`);
  return `per edit, CPU ms p50/p95: ${summary.join(', ')}; in all ${ms(median(cpu))}/${ms(percentile(cpu, 95))}`;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const base = path.join(REPO_ROOT, 'bench', '.cache', `large-class-${options.seed}`);
  const shapes = {
    bench: (language: (typeof EDIT_FILES)[number]['language']) => editFile('mono', language, options.seed),
    app: (language: (typeof EDIT_FILES)[number]['language']) => editFile('app', language, options.seed),
    'large-class': (language: (typeof EDIT_FILES)[number]['language']) => largeClassFile(language, options.seed),
  };
  const parsers = await Parsers.load();
  const engine = await Engine.create();
  for (const [shape, make] of Object.entries(shapes)) {
    if (options.only && options.only !== shape) continue;
    const dir = path.join(base, shape);
    fs.mkdirSync(dir, { recursive: true });
    for (const { language, file } of EDIT_FILES) {
      const text = make(language);
      fs.writeFileSync(path.join(dir, file), text);
      const lines = text.split('\n').length;
      console.log(`${shape} ${language} (${lines} lines, ${Math.round(text.length / 1024)} KB): ${await measureParser(parsers, GRAMMAR[language], text, options.edits, language)}`);
      console.log(`${shape} ${language} in process: ${measurePhases(engine, EDIT_FILES.find((f) => f.language === language)!, text, options.edits)}`);
    }
    if (!options.lsp) continue;
    const execArgv = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.cpuProfDir, shape)}`] : [];
    const results = await measureEditLatency(options.server, dir, options.edits, execArgv);
    for (const [language, r] of Object.entries(results)) {
      console.log(`${shape} ${language}: edit → diagnostics p50 ${ms(r.p50Ms)} ms, p95 ${ms(r.p95Ms)} ms, max ${ms(r.maxMs)} ms (${r.edits} edits)`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
