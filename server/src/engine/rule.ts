import type { Family } from './languages';
import type { SourceFile } from './source-file';
import type { FixData, Level, Range, RuleMeta } from './types';
import type { WorkspaceFacts } from './workspace';
import type { Node } from 'web-tree-sitter';

export const DOCS_BASE_URL = 'https://github.com/pinning-audit/pinning-audit/blob/main/docs/rules/';

/** The one place a rule's documentation URL is built. */
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}

export interface ReportOptions {
  /** Defaults to the rule's level; debug guards and test files lower it to `note`. */
  level?: Level;
  data?: FixData;
  related?: { target: Node; message: string }[];
}

export interface RuleContext {
  file: SourceFile;
  workspace: WorkspaceFacts;
  /** The date rules compare expiry dates with. */
  today: Date;
  /** Days before an expiry that count as "soon". */
  rotationWarningDays: number;
  /** Reports on a node, or on a range (pins of a constant declared elsewhere in the file). */
  report(target: Node | Range, message: string, options?: ReportOptions): void;
}

export type Check = (context: RuleContext) => void;

export interface Rule {
  meta: RuleMeta & { docsUrl: string };
  checks: Partial<Record<Family, Check>>;
}

export function defineRule(meta: RuleMeta, checks: Partial<Record<Family, Check>>): Rule {
  return { meta: { ...meta, docsUrl: docsUrl(meta.id) }, checks };
}
