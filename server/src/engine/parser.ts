import * as fs from 'node:fs';
import * as path from 'node:path';
import { Edit, Language, Parser, type Range as TreeRange, type Tree } from 'web-tree-sitter';
import type { CodeGrammarId } from './languages';
import { patchSwiftScannerState } from './grammar-patches';
import { compileWasm, relocatableStackModule, type WasmStack } from './wasm-stack';
import wasmFiles from './wasm-files.json';
import { wordScanModule } from './word-scanner';

/**
 * Where each .wasm comes from. The Swift grammar is unit-mesh's build: repomix's mis-parses
 * `#if` inside functions after the first parse in a process, and has no exported scanner
 * `create` for grammar-patches.ts to fix. The build script copies the same list.
 */
type WasmSource = { file: string; pkg: string; dir: string };
const GRAMMAR_SOURCES = wasmFiles.grammars as Record<CodeGrammarId, WasmSource>;

export const WASM_FILES: WasmSource[] = [wasmFiles.runtime, ...Object.values(GRAMMAR_SOURCES)];

/** In a bundle the .wasm files sit beside it; from compiled sources they are found in node_modules. */
export function locateWasm(entry: WasmSource): string {
  const beside = path.join(__dirname, entry.file);
  if (fs.existsSync(beside)) return beside;
  // Look the package folder up without require.resolve: packages' `exports` may hide their files.
  for (const modules of require.resolve.paths(entry.pkg) ?? []) {
    const candidate = path.join(modules, entry.pkg, entry.dir, entry.file);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot find ${entry.file} (package ${entry.pkg})`);
}

/**
 * One parser per grammar, each loaded once from bytes when the first file in it is parsed: a
 * scan of files in one language (or of none) does not pay for the others (the five grammars
 * are 7 MB of wasm). `Parsers.load()` is the only way to get one.
 */
export class Parsers {
  private static loading: Promise<Parsers> | undefined;
  private readonly parsers = new Map<CodeGrammarId, Parser>();
  private readonly languages = new Map<CodeGrammarId, Language>();

  private constructor(
    /** Undefined when the runtime's stack could not be moved (a different web-tree-sitter build). */
    private readonly stack: WasmStack | undefined,
  ) {}

  /** The runtime, initialized once per thread; the grammars load on first use. */
  static load(): Promise<Parsers> {
    Parsers.loading ??= (async () => {
      // V8 tiers hot wasm functions up to TurboFan in the background. For the Swift grammar's
      // lexer that is ~3 s of CPU, and a process cannot exit before it ends, so the grammars
      // stay on baseline (Liftoff) code: a module keeps the tiers it was compiled with. The
      // runtime (the parser itself, 200 KB) does tier up: a scan of 10,000 files, 303 of them
      // parsed, took 1.49 s on one thread instead of 1.68 s.
      const runtime = WASM_FILES[0];
      const wasmBinary = fs.readFileSync(locateWasm(runtime));
      const runtimeModule = relocatableStackModule(wasmBinary);
      await Parser.init(runtimeModule.options);
      // The word search's loop runs over every file: compiled first, it keeps its tiers.
      wordScanModule();
      // node:v8 (and the streams it loads) only here: a run that parses nothing does without it.
      (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--liftoff-only');
      return new Parsers(runtimeModule.relocate());
    })();
    return Parsers.loading;
  }

  /**
   * V8's defaults of `--liftoff-only` and of the flags it turns off: what a thread's flags were
   * before its grammars loaded. V8 takes a code cache only under the flags it was made with, and
   * a scan thread's (cli/scan-workers.ts) is made once the thread has parsed, but taken at its start.
   */
  static readonly FLAGS_BEFORE_LOAD = ['--no-liftoff-only', '--wasm-tier-up', '--wasm-dynamic-tiering'];

  /** The parser of `grammar`, its grammar loaded (synchronously, from bytes) on the first call. */
  private parserFor(grammar: CodeGrammarId): Parser {
    let parser = this.parsers.get(grammar);
    if (!parser) {
      const language = loadLanguage(grammar);
      this.languages.set(grammar, language);
      parser = newParser(language);
      this.parsers.set(grammar, parser);
    }
    return parser;
  }

  /**
   * Full parse, or an incremental one when `oldTree` has been `edit`ed to match `text`, or one
   * of `includedRanges` alone (partial-parse.ts). Throws ParseTimeLimitError when the parse
   * takes longer than `timeLimitMs`.
   */
  parse(grammar: CodeGrammarId, text: string, oldTree?: Tree, timeLimitMs = PARSE_TIME_LIMIT_MS, includedRanges?: TreeRange[]): Tree {
    const parser = this.parserFor(grammar);
    const startedAt = parseClocks.wall();
    const cpuAtStart = recentCpu(startedAt);
    let deadline = startedAt + timeLimitMs;
    // Past the deadline, a parse ends only once the process has also had half the limit in CPU
    // time since it began: a machine too busy to run this process (a browser, a build) makes no
    // parse slow (an editor test in CI once lost a 40-line Swift file so). All the process's
    // threads count: a scan's other thread, or a reading of the CPU time taken a little before
    // the parse began, only brings the end sooner.
    const overLimit = (): boolean => {
      const now = parseClocks.wall();
      if (now <= deadline) return false;
      if (parseClocks.cpu() - cpuAtStart >= timeLimitMs / 2) return true;
      deadline = now + CPU_RECHECK_MS;
      return false;
    };
    // Tree-sitter asks for progress every hundred parse actions, which in some error recovery
    // is seconds apart; it asks for input far more often. Past the limit the input ends,
    // so the parser winds up. Once parsed, the tree reads node text through the same function.
    let parsing = true;
    let timedOut = false;
    const input = (index: number): string => {
      if (parsing && overLimit()) {
        timedOut = true;
        return '';
      }
      return text.slice(index);
    };
    let tree: Tree | null;
    try {
      tree = parser.parse(input, oldTree ?? null, { includedRanges, progressCallback: () => (timedOut ||= overLimit()) });
    } catch (error) {
      // V8's stack ran out inside the runtime (deep recursion in error recovery): the exception
      // unwound wasm frames without restoring the C stack pointer, and left this parser mid-parse.
      this.stack?.restore();
      this.parsers.set(grammar, newParser(this.languages.get(grammar)!)); // the old one is abandoned, not deleted
      throw new ParseFailedError(grammar, error);
    }
    parsing = false;
    if (!tree || timedOut) {
      tree?.delete();
      parser.reset(); // a cancelled parse would otherwise resume on the next call, with other text
      throw new ParseTimeLimitError(grammar, timeLimitMs);
    }
    return tree;
  }
}

/**
 * How long one parse may take. Tree-sitter's error recovery is superlinear on some broken
 * input (5,000 nested `"${` take 4 s in Swift, 20,000 `[` seconds in Dart), and one such file
 * must not hold up the editor or a scan. Valid TS, Dart and Swift files of 1 MB parse in
 * 0.2-0.5 s (Swift: 0.3 s, once its scanner's state is cleared; see grammar-patches.ts).
 */
export const PARSE_TIME_LIMIT_MS = 1000;

/** How often, past the deadline, a parse looks again at the CPU time the process has had. */
const CPU_RECHECK_MS = 50;

/**
 * The clocks a parse's time limit reads, in ms: the wall clock, and the CPU time of the whole
 * process (`process.cpuUsage`; Node 20 has no clock of one thread's). Tests replace them
 * (test/helpers/engine.ts `withClock`).
 */
export const parseClocks = {
  // Not performance.now(): its first call loads perf_hooks, 1-8 ms of a scan thread's first parse.
  wall: (): number => {
    const [seconds, nanoseconds] = process.hrtime();
    return seconds * 1000 + nanoseconds / 1e6;
  },
  cpu: (): number => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
};

/** The last reading of the process's CPU time (`parseClocks.cpu`), when (`parseClocks.wall`), and from which clock. */
let cpuReading: { wall: number; cpu: number; clock: () => number } | undefined;

/**
 * The process's CPU time as read at most CPU_RECHECK_MS ago. On a scan thread, `getrusage`
 * waits on the other threads' run queues: 0.1-9 ms a call while the main thread reads files,
 * 35 ms of the app shape's 300 parses (bench/README.md, round 26). A scan thread begins a parse
 * every few milliseconds, so most take the last reading. The clock is kept with the reading for
 * tests, which replace it (`withClock`).
 */
function recentCpu(now: number): number {
  const last = cpuReading;
  if (last && last.clock === parseClocks.cpu && now >= last.wall && now - last.wall <= CPU_RECHECK_MS) return last.cpu;
  cpuReading = { wall: now, cpu: parseClocks.cpu(), clock: parseClocks.cpu };
  return cpuReading.cpu;
}

/** A file that could not be parsed: it is skipped, and the skip reported with this message. */
export abstract class UnparsableFileError extends Error {}

/** A parse the runtime failed (it ran out of stack). */
export class ParseFailedError extends UnparsableFileError {
  constructor(grammar: CodeGrammarId, cause: unknown) {
    super(`the ${grammar} parser failed (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'ParseFailedError';
  }
}

/** A grammar's language, compiled from its .wasm bytes (after `Parser.init`, which it needs). */
function loadLanguage(grammar: CodeGrammarId): Language {
  const bytes = fs.readFileSync(locateWasm(GRAMMAR_SOURCES[grammar]));
  // See grammar-patches.ts: without it every Swift parse after the first is quadratic.
  const module = compileWasm(grammar === 'swift' ? patchSwiftScannerState(bytes).bytes : bytes);
  return Language.loadSync(module as Parameters<typeof Language.loadSync>[0]);
}

function newParser(language: Language): Parser {
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** A parse given up at the time limit. */
export class ParseTimeLimitError extends UnparsableFileError {
  constructor(grammar: CodeGrammarId, limitMs: number) {
    super(`parsing took longer than ${limitMs} ms (broken or deeply nested ${grammar} code)`);
    this.name = 'ParseTimeLimitError';
  }
}

export interface TextChange {
  /** 0-based line/character (UTF-16) range in the old text, and the text that replaces it. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

/**
 * Offsets of each line start, of the first `lines` lines (all by default: a scan that wants the
 * findings' lines reads no further); tree-sitter indices and columns here are UTF-16 code units.
 */
export function lineStarts(text: string, lines = Infinity): readonly number[] {
  return new LineIndex(text).starts(lines);
}

/**
 * A text's line starts, read only as far as they are asked for: the positions of an app-shape
 * scan's findings sit in the first lines of large files, whose line starts were read whole
 * (17 MB of candidates; bench/README.md, round 24). A line ends at `\n`, at `\r\n` and at a lone
 * `\r`; both are found by `indexOf`, a native search 1.5-2 times as fast as a loop over the
 * characters, the next `\r` once for as long as it lies ahead (in most texts: never there).
 */
export class LineIndex {
  private readonly found = [0];
  /** Where reading goes on: every line start up to here is in `found`. */
  private read = 0;
  /** The first `\r` at `read` or after (the text's length when there is none); -1 before the first look. */
  private nextCr = -1;

  constructor(private readonly text: string) {}

  /** Every line start up to `offset`, and the next one when the text has one. */
  through(offset: number): readonly number[] {
    while (this.found[this.found.length - 1] <= offset && this.readLine());
    return this.found;
  }

  /** The starts of the first `lines` lines (fewer when the text has fewer). */
  starts(lines: number): readonly number[] {
    while (this.found.length < lines && this.readLine());
    return this.found;
  }

  /** Reads up to the next line start; false at the end of the text. */
  private readLine(): boolean {
    const { text, found } = this;
    while (this.read < text.length) {
      if (this.nextCr < this.read) {
        const cr = text.indexOf('\r', this.read);
        this.nextCr = cr < 0 ? text.length : cr;
      }
      const lf = text.indexOf('\n', this.read);
      if (this.nextCr < (lf < 0 ? text.length : lf)) {
        this.read = this.nextCr + 1;
        if (text.charCodeAt(this.read) === 10) continue; // `\r\n`: the `\n` ends the line
      } else if (lf >= 0) {
        this.read = lf + 1;
      } else {
        this.read = text.length;
        return false;
      }
      found.push(this.read);
      return true;
    }
    return false;
  }
}

/** Appends to `starts` the line starts in `(from, to]` of `text` (a `\r` followed by `\n` ends no line). */
function startsBetween(text: string, from: number, to: number, starts: number[]): number[] {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/**
 * The offset of an LSP position, clamped as LSP clamps: a line past the end is the end of the
 * text, a character past its line's end is that end (not a place in the next line), and
 * negative or non-numeric values are 0. A client that sends such positions must not make us
 * edit other text than it did.
 */
export function offsetInLines(starts: readonly number[], text: string, pos: { line: number; character: number }): number {
  const line = lineOf(pos);
  if (line >= starts.length) return text.length;
  if (line < 0) return 0;
  const character = Number.isFinite(pos.character) ? Math.max(0, Math.floor(pos.character)) : 0;
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  while (end > starts[line] && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  return Math.min(starts[line] + character, end);
}

/** The line an LSP position names, as `offsetInLines` reads it: a non-numeric one is 0, a fraction rounds down. */
export function lineOf(pos: { line: number }): number {
  return Number.isFinite(pos.line) ? Math.floor(pos.line) : 0;
}

/** The 0-based line and column (UTF-16) of `offset`, given the text's line starts. */
export function positionInLines(starts: readonly number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

function pointAt(starts: readonly number[], offset: number): { row: number; column: number } {
  const { line, character } = positionInLines(starts, offset);
  return { row: line, column: character };
}

/**
 * Applies one LSP-style change to `text`, and records the same edit on `tree` so the next
 * parse can reuse it. Returns the new text.
 */
export function applyChange(text: string, change: TextChange, tree?: Tree): string {
  return applyChangeToLines({ text, starts: lineStarts(text) }, change, tree).text;
}

/** A text and its `lineStarts`. */
export interface TextLines {
  text: string;
  starts: readonly number[];
}

/**
 * `applyChange` for a caller that keeps the text's line starts: they are carried over and
 * shifted, and only the changed lines are scanned again. An editor buffer of 200 KB was
 * scanned twice per keystroke before, a few milliseconds each time.
 */
export function applyChangeToLines(lines: TextLines, change: TextChange, tree?: Tree): EditedLines {
  const { text, starts } = lines;
  // Checked before anything changes: a malformed change from a client must not reach the tree.
  if (typeof change.text !== 'string') throw new TypeError('a text change must carry its new text as a string');
  const startIndex = offsetInLines(starts, text, change.range.start);
  const oldEndIndex = Math.max(startIndex, offsetInLines(starts, text, change.range.end));
  const newText = text.slice(0, startIndex) + change.text + text.slice(oldEndIndex);
  const newEndIndex = startIndex + change.text.length;
  const newStarts = editedStarts(starts, newText, startIndex, oldEndIndex, newEndIndex);
  tree?.edit(
    new Edit({
      startIndex,
      oldEndIndex,
      newEndIndex,
      startPosition: pointAt(starts, startIndex),
      oldEndPosition: pointAt(starts, oldEndIndex),
      newEndPosition: pointAt(newStarts, newEndIndex),
    }),
  );
  return { text: newText, starts: newStarts, startIndex, oldEndIndex, newEndIndex };
}

/** The text and line starts after a change, and where it changed: `[startIndex, oldEndIndex)` of the old text is now `[startIndex, newEndIndex)`. */
export interface EditedLines extends TextLines {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
}

/**
 * The line starts of `newText` from those of the text before the edit. A start depends on the
 * character before it and, for `\r`, the one after it, so the starts up to the line before the
 * edit and those after its old end stay (shifted); the rest is scanned.
 */
function editedStarts(starts: readonly number[], newText: string, startIndex: number, oldEndIndex: number, newEndIndex: number): number[] {
  const keptBefore = Math.max(0, positionInLines(starts, startIndex).line - 1);
  let keptAfter = positionInLines(starts, oldEndIndex).line + 1;
  const delta = newEndIndex - oldEndIndex;
  const result = startsBetween(newText, starts[keptBefore], newEndIndex, starts.slice(0, keptBefore + 1));
  for (; keptAfter < starts.length; keptAfter++) result.push(starts[keptAfter] + delta);
  return result;
}
