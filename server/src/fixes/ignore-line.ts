import { IGNORE_NEXT_LINE } from '../engine/suppressions';
import type { FixContext, DraftFix } from './context';
import { indentationAt, lineEndOf, lineStartOf } from './text';

/** Nodes in which a line start is not a place for a comment: the comment would become text. */
const TEXT_NODES = /string|template|jsx_text|comment|heredoc/;
/** Code inside a string: interpolations and template substitutions. */
const CODE_IN_TEXT = /substitution|interpolat/;

/** The rules an ignore directive on this line lists, its rule list's end, or undefined when it is no directive. */
const DIRECTIVE = new RegExp(`^([ \\t]*(?://|/\\*|<!--)\\s*${IGNORE_NEXT_LINE}\\b[ \\t]*)([\\w-]+(?:[ \\t]*,[ \\t]*[\\w-]+)*)?`);

/**
 * "Ignore on this line": `// pinning-audit-ignore-next-line <rule-id>` above the finding's line,
 * with that line's indentation and the file's line ending. A directive already there for other
 * rules gets the rule added to its list (a second comment would only cover the first).
 */
export function ignoreOnThisLine(context: FixContext): DraftFix | undefined {
  const { text, finding } = context;
  const lineStart = lineStartOf(text, context.start);
  // In XML the parse check refuses a comment that lands inside a tag.
  const holder = context.file.xml ? null : context.file.root.descendantForIndex(lineStart, lineStart);
  for (let n: typeof holder | null = holder; n; n = n.parent) {
    if (CODE_IN_TEXT.test(n.type) && n.startIndex < lineStart) break; // inside `${ … }`: code again, where a comment is fine
    if (TEXT_NODES.test(n.type) && n.startIndex < lineStart) return undefined;
  }
  const title = `Ignore ${finding.ruleId} on this line`;
  if (lineStart > 0) {
    // The previous line ends before this line's break (two characters for CRLF).
    const previousEnd = text.slice(lineStart - 2, lineStart) === '\r\n' ? lineStart - 2 : lineStart - 1;
    const previousStart = lineStartOf(text, previousEnd);
    const previous = text.slice(previousStart, lineEndOf(text, previousStart));
    const m = DIRECTIVE.exec(previous);
    if (m && m[2]) {
      const at = previousStart + m[1].length + m[2].length;
      return { title, preferred: false, edits: [{ start: at, end: at, text: `, ${finding.ruleId}` }] };
    }
  }
  const indentation = indentationAt(text, lineStart);
  const directive = `${IGNORE_NEXT_LINE} ${finding.ruleId}`;
  const comment = `${indentation}${context.file.xml ? `<!-- ${directive} -->` : `// ${directive}`}${context.eol}`;
  return { title, preferred: false, edits: [{ start: lineStart, end: lineStart, text: comment }] };
}
