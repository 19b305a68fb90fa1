import type { Node, Tree } from 'web-tree-sitter';
import { ALL_RULES } from '../rules';
import { isInDebugGuard } from '../facts/debug-guards';
import { pinSets } from '../facts/pin-sets';
import type { GrammarId } from './languages';
import { familyOf } from './languages';
import { Parsers } from './parser';
import type { Rule, RuleContext } from './rule';
import { SourceFile } from './source-file';
import { applySuppressions } from './suppressions';
import type { Finding, Level, Range, RuleSettings } from './types';
import { WorkspaceFacts, type PinSet } from './workspace';

export interface AnalysisInput {
  /** Absolute path or URI. */
  id: string;
  relativePath: string;
  grammar: GrammarId;
  text: string;
  /** An up-to-date tree the caller keeps (incremental editing); otherwise the engine parses and frees its own. */
  tree?: Tree;
}

export interface AnalysisResult {
  findings: Finding[];
  pinSets: PinSet[];
  /** False when no trigger word was found and the file was not parsed at all. */
  parsed: boolean;
}

export interface AnalysisOptions {
  rules?: RuleSettings;
  workspace?: WorkspaceFacts;
}

/** Text + language → tree → facts → rules → findings. No editor or LSP types here. */
export class Engine {
  private readonly triggersByFamily = new Map<string, RegExp | null>();

  constructor(
    readonly parsers: Parsers,
    readonly rules: readonly Rule[] = ALL_RULES,
  ) {}

  static async create(rules: readonly Rule[] = ALL_RULES): Promise<Engine> {
    return new Engine(await Parsers.load(), rules);
  }

  ruleById(id: string): Rule | undefined {
    return this.rules.find((r) => r.meta.id === id);
  }

  /** Rules that apply to `grammar` and are not turned off. */
  activeRules(grammar: GrammarId, settings: RuleSettings = {}): Rule[] {
    const family = familyOf(grammar);
    return this.rules.filter((r) => r.checks[family] && settings[r.meta.id] !== 'off');
  }

  /**
   * Most files hold no pinning code at all: a file none of whose trigger words occur needs
   * no parse. A rule without triggers forces a parse.
   */
  mayHaveFindings(grammar: GrammarId, text: string, settings: RuleSettings = {}): boolean {
    const rules = this.activeRules(grammar, settings);
    const key = `${familyOf(grammar)}:${rules.map((r) => r.meta.id).join(',')}`;
    let pattern = this.triggersByFamily.get(key);
    if (pattern === undefined) {
      const words = rules.flatMap((r) => (r.meta.triggers ? [...r.meta.triggers] : []));
      const untriggered = rules.some((r) => !r.meta.triggers);
      const sources = words.map((w) => (typeof w === 'string' ? escapeRegExp(w) : w.source));
      pattern = untriggered ? null : new RegExp(sources.join('|'), 'i');
      this.triggersByFamily.set(key, pattern);
    }
    if (rules.length === 0) return false;
    return pattern === null || pattern.test(text);
  }

  analyze(input: AnalysisInput, options: AnalysisOptions = {}): AnalysisResult {
    const settings = options.rules ?? {};
    const rules = this.activeRules(input.grammar, settings);
    if (!input.tree && !this.mayHaveFindings(input.grammar, input.text, settings)) {
      return { findings: [], pinSets: [], parsed: false };
    }
    const tree = input.tree ?? this.parsers.parse(input.grammar, input.text);
    try {
      const file = new SourceFile(input.id, input.relativePath, input.grammar, input.text, tree);
      const workspace = options.workspace ?? new WorkspaceFacts();
      const findings: Finding[] = [];
      for (const rule of rules) {
        const context = ruleContext(rule, file, workspace, settings[rule.meta.id] as Level | undefined, findings);
        rule.checks[file.family]!(context);
      }
      findings.sort(compareFindings);
      return { findings: applySuppressions(input.text, findings), pinSets: pinSets(file), parsed: true };
    } finally {
      if (!input.tree) tree.delete();
    }
  }
}

function ruleContext(
  rule: Rule,
  file: SourceFile,
  workspace: WorkspaceFacts,
  setting: Level | undefined,
  sink: Finding[],
): RuleContext {
  return {
    file,
    workspace,
    report(target: Node | Range, message, options = {}) {
      const node = 'startIndex' in target ? target : undefined;
      let level: Level = setting ?? options.level ?? rule.meta.level;
      if (rule.meta.relaxedInDebugCode && (file.isTestFile || (node && isInDebugGuard(file, node)))) level = 'note';
      const range = node ? file.rangeOf(node) : (target as Range);
      const finding: Finding = { ruleId: rule.meta.id, level, message, range };
      if (options.data) finding.data = options.data;
      const duplicate = sink.some(
        (f) => f.ruleId === finding.ruleId && f.range.start.line === finding.range.start.line &&
          f.range.start.character === finding.range.start.character,
      );
      if (!duplicate) sink.push(finding);
    },
  };
}

function compareFindings(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character ||
    a.ruleId.localeCompare(b.ruleId);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
