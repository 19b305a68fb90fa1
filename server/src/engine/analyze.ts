import type { Node } from 'web-tree-sitter';
import { ALL_RULES } from '../rules';
import { isInDebugGuard } from '../facts/debug-guards';
import { pinSets } from '../facts/pin-sets';
import { setCoverage, setWordPositions, TextNeeded } from '../facts/tree';
import { familyOf, type Family, type GrammarId } from './languages';
import { memoizeNodeTypes } from './node-type-cache';
import { Parsers, UnparsableFileError } from './parser';
import { WordPositions } from './word-positions';
import { codeTree, parseSyntax, type SyntaxTree } from './syntax';
import { MAX_ROUNDS, PARTIAL_PARSE_MAX_SHARE, PartialText, type TextParts } from './partial-parse';
import type { ReportOptions, Rule, RuleContext } from './rule';
import { SourceFile } from './source-file';
import { applySuppressions } from './suppressions';
import { DEFAULT_ROTATION_WARNING_DAYS, today } from './clock';
import { RuleTriggers, type Triggered, type TriggeredIds } from './trigger-set';
import type { Finding, Level, Range, RuleSettings } from './types';
import { WorkspaceFacts, type PinSet } from './workspace';

export interface AnalysisInput {
  /** Absolute path or URI. */
  id: string;
  relativePath: string;
  grammar: GrammarId;
  text: string;
  /** An up-to-date tree the caller keeps (incremental editing); otherwise the engine parses and frees its own. */
  tree?: SyntaxTree;
  /** The text's `lineStarts`, when the caller keeps them up to date too. */
  lineStarts?: readonly number[];
  /**
   * An editor buffer's whole tree, parsed (incrementally) only when the parts will not do: then
   * the engine parses the parts of the text its rules need afresh, as for a file it parses
   * itself, as long as they stay under `maxShare` of the text; else, or when they cannot be cut,
   * it analyses `get()`. A one-character edit in a class of 600 Dart members re-parses every
   * member's signature (bench/README.md, "Edits in large classes"); its parts are a few.
   */
  wholeTree?: { get: () => SyntaxTree; maxShare: number };
  /** Where words occur in the text, as an editor buffer keeps them across edits (`setWordPositions`), for the engine's own trees. */
  words?: WordPositions;
}

export interface AnalysisResult {
  findings: Finding[];
  pinSets: PinSet[];
  /** False when no trigger word was found and the file was not parsed at all. */
  parsed: boolean;
  /** Set when the file could not be audited (its parse hit the time limit or failed): why, in a few words. */
  skipped?: string;
  /** Set when a rule read today's date: the findings hold only for today (the scan cache's key). */
  datedToday?: true;
}

export interface AnalysisOptions {
  rules?: RuleSettings;
  workspace?: WorkspaceFacts;
  /** Days before a pin set's expiry that `pin-set-expired` warns (`pinningAudit.rotationWarningDays`). */
  rotationWarningDays?: number;
  /** Defaults to `today()` (the clock, or `PINNING_AUDIT_TODAY`). */
  today?: Date;
  /**
   * Runs on the analysed file and its result before the tree is freed: the CLI drafts SARIF's
   * fixes here, on the parse the rules used. Text it asks for that a partial parse left out
   * (`TextNeeded`) is parsed in, and the analysis runs again (so it must not add to the result).
   */
  withTree?: (file: SourceFile, result: AnalysisResult) => void;
}

/** Text + language → tree → facts → rules → findings. No editor or LSP types here. */
export class Engine {
  readonly triggers: RuleTriggers;

  /**
   * Which files the engine parses in parts when it parses them itself (partial-parse.ts): those
   * whose parts to read first are less than `maxShare` of the text. Undefined: every file whole,
   * the reference the tests hold partial analyses to (with `maxShare: 1`, which cuts every file
   * that can be cut).
   */
  partialParse: { maxShare: number } | undefined = { maxShare: PARTIAL_PARSE_MAX_SHARE };

  constructor(
    readonly parsers: Parsers,
    readonly rules: readonly Rule[] = ALL_RULES,
  ) {
    memoizeNodeTypes();
    this.triggers = new RuleTriggers(rules);
  }

  static async create(rules: readonly Rule[] = ALL_RULES): Promise<Engine> {
    return new Engine(await Parsers.load(), rules);
  }

  ruleById(id: string): Rule | undefined {
    return this.rules.find((r) => r.meta.id === id);
  }

  analyze(input: AnalysisInput, options: AnalysisOptions = {}): AnalysisResult {
    return this.analyzeTriggered(input, this.triggers.inText(input.grammar, input.text, options.rules), options);
  }

  /**
   * `analyze` for a file read from disk, before decoding it: the trigger words are looked for
   * in its UTF-8 bytes, and only a file with some is decoded (`decode` is called at most once).
   */
  analyzeBytes(input: Omit<AnalysisInput, 'text' | 'tree' | 'lineStarts'>, bytes: Uint8Array, decode: () => string, options: AnalysisOptions = {}): AnalysisResult {
    const triggered = this.triggers.inBytes(input.grammar, bytes, decode, options.rules);
    if (triggered.rules.length === 0) return notParsed();
    return this.analyzeTriggered({ ...input, text: decode() }, triggered, options);
  }

  /**
   * `analyze` for a file whose trigger words were looked for already, by another thread of a
   * scan with the same rules: `triggered` names the rules they call for.
   */
  analyzeTriggeredBy(input: AnalysisInput, triggered: TriggeredIds, options: AnalysisOptions = {}, parts?: TextParts | null): AnalysisResult {
    return this.analyzeTriggered(input, this.triggers.resolve(triggered), options, parts);
  }

  /** `parts`: the text's parts (`cutIntoParts`) when another thread has cut it already; null when it cannot be cut. */
  private analyzeTriggered(input: AnalysisInput, triggered: Triggered, options: AnalysisOptions, parts?: TextParts | null): AnalysisResult {
    if (!input.tree && triggered.rules.length === 0) return notParsed();
    const analysed = this.onTree(input, triggered, (tree) => this.runRules(input, tree, triggered, options), parts);
    return 'skipped' in analysed ? { findings: [], pinSets: [], parsed: false, skipped: analysed.skipped } : analysed.value;
  }

  /**
   * `run` on a tree of the input's text: the caller's, or the engine's own, parsed in parts
   * (partial-parse.ts) when the file can be cut, and again with the text `run` asks for
   * (`TextNeeded`); whole when the parts hold an error, grow to most of the file or take more
   * than `MAX_ROUNDS`. The engine's trees are freed once `run` returns.
   */
  private onTree<T>(input: AnalysisInput, triggered: Triggered, run: (tree: SyntaxTree) => T, parts?: TextParts | null): { value: T } | { skipped: string } {
    const maxShare = this.partialParse && (input.wholeTree?.maxShare ?? this.partialParse.maxShare);
    let partial = input.tree || maxShare === undefined ? undefined
      : parts === undefined ? cutIntoParts(this.triggers, input.grammar, input.text, triggered, maxShare)
      : parts && PartialText.fromParts(input.text, parts, maxShare);
    // The library models ask where words occur, rule after rule: each word is searched once per
    // text (of the app shape's 5,410 searches, 1,043 were repeats).
    let words: WordPositions | undefined;
    for (;;) {
      // The caller's tree (given, or its whole tree when the parts will not do), or the engine's own, freed below.
      const ownTree = !input.tree && (!!partial || !input.wholeTree);
      let tree: SyntaxTree;
      try {
        tree = input.tree ?? (ownTree ? parseSyntax(this.parsers, input.grammar, input.text, undefined, partial?.ranges()) : input.wholeTree!.get());
      } catch (error) {
        if (error instanceof UnparsableFileError) return { skipped: error.message };
        throw error;
      }
      try {
        if (partial) {
          // An error in the parts may be a part cut in the wrong place: the file is parsed whole.
          if (codeTree(tree)!.rootNode.hasError) {
            partial = undefined;
            continue;
          }
          setCoverage(codeTree(tree)!, partial);
        }
        const code = codeTree(tree);
        if (ownTree && code) setWordPositions(code, (words ??= input.words ?? new WordPositions(input.text)));
        return { value: run(tree) };
      } catch (error) {
        if (!(error instanceof TextNeeded) || !partial) throw error;
        // `run` asked for text the parse left out: parse again with it, or whole.
        if (!partial.includeText(error.spans) || partial.mostlyIncluded || partial.rounds > MAX_ROUNDS) partial = undefined;
      } finally {
        if (ownTree) tree.delete();
      }
    }
  }

  private runRules(input: AnalysisInput, tree: SyntaxTree, triggered: Triggered, options: AnalysisOptions): AnalysisResult {
    const settings = options.rules ?? {};
    const file = new SourceFile(input.id, input.relativePath, input.grammar, input.text, tree, input.lineStarts);
    const workspace = options.workspace ?? new WorkspaceFacts();
    const dates = new Dates(options.today ?? today(), options.rotationWarningDays ?? DEFAULT_ROTATION_WARNING_DAYS);
    const findings: Finding[] = [];
    // Only the rules whose trigger words occur: in an edited file usually a few, often none.
    for (const rule of triggered.rules) {
      const context = new AnalysisContext(rule, file, workspace, dates, settings[rule.meta.id] as Level | undefined, findings);
      rule.checks[file.family]!(context);
    }
    findings.sort(compareFindings);
    const result: AnalysisResult = { findings: applySuppressions(input.text, findings), pinSets: triggered.pinSets ? pinSets(file) : [], parsed: true };
    if (dates.read) result.datedToday = true;
    options.withTree?.(file, result);
    return result;
  }
}

/**
 * The dates rules compare with; `read` tells whether one did (most files never look). This and
 * `AnalysisContext` are classes, not object literals with a getter and a method made per rule
 * and file: with those, much of each analysis (its file's nodes and facts) outlived V8's minor
 * collections, which then copied megabytes per keystroke in a large file, 4–12 ms each time
 * (bench/README.md, round 8).
 */
class Dates {
  read = false;

  constructor(
    private readonly day: Date,
    readonly rotationWarningDays: number,
  ) {}

  get today(): Date {
    this.read = true;
    return this.day;
  }
}

function notParsed(): AnalysisResult {
  return { findings: [], pinSets: [], parsed: false };
}

/** What one rule's check sees of one analysis, and where its findings go. */
class AnalysisContext implements RuleContext {
  constructor(
    private readonly rule: Rule,
    readonly file: SourceFile,
    readonly workspace: WorkspaceFacts,
    private readonly dates: Dates,
    private readonly setting: Level | undefined,
    private readonly sink: Finding[],
  ) {}

  get today(): Date {
    return this.dates.today;
  }

  get rotationWarningDays(): number {
    return this.dates.rotationWarningDays;
  }

  report(target: Node | Range, message: string, options: ReportOptions = {}): void {
    const { rule, file, sink } = this;
    const node = 'startIndex' in target ? target : undefined;
    let level: Level = this.setting ?? options.level ?? rule.meta.level;
    if (rule.meta.relaxedInDebugCode && (file.isTestFile || (node && isInDebugGuard(file, node)))) level = 'note';
    const range = node ? file.rangeOf(node) : (target as Range);
    const finding: Finding = { ruleId: rule.meta.id, level, message, range };
    if (options.data) finding.data = options.data;
    if (options.related?.length) finding.related = options.related.map((r) => ({ range: file.rangeOf(r.target), message: r.message }));
    const duplicate = sink.some(
      (f) => f.ruleId === finding.ruleId && f.range.start.line === finding.range.start.line &&
        f.range.start.character === finding.range.start.character,
    );
    if (!duplicate) sink.push(finding);
  }
}

function compareFindings(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character ||
    a.ruleId.localeCompare(b.ruleId);
}

/**
 * How a file is parsed in parts (partial-parse.ts): its parts that mention a trigger word of the
 * rules `triggered` names (`RuleTriggers.mentions`); undefined to parse it whole. Needs no parser:
 * a CLI scan's main thread cuts the files it hands its threads.
 */
export function cutIntoParts(triggers: RuleTriggers, grammar: GrammarId, text: string, triggered: Triggered, maxShare = PARTIAL_PARSE_MAX_SHARE, utf8?: Uint8Array): PartialText | undefined {
  if (grammar === 'xml') return undefined;
  const family = familyOf(grammar) as Exclude<Family, 'xml'>;
  return PartialText.of(family, text, triggers.mentions(family, triggered, text, utf8), maxShare, grammar === 'tsx' || grammar === 'javascript');
}
