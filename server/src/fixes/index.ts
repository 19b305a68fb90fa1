/**
 * Quick fixes: text + finding → edits. No editor or LSP types here; the language server and the
 * CLI turn the result into code actions or file writes.
 *
 * Every edit is checked before it is offered: applied to the text and parsed again, it must not
 * add a tree-sitter ERROR or MISSING node. Shapes a fix does not recognise get no fix at all.
 */
import type { Parsers } from '../engine/parser';
import type { SourceFile } from '../engine/source-file';
import type { SyntaxTree } from '../engine/syntax';
import type { Range } from '../engine/types';
import { FixContext, type DraftFix, type FixProvider } from './context';
import { fullCertificateHashFixes } from './full-certificate-hash';
import { ignoreOnThisLine } from './ignore-line';
import { invalidPinFixes } from './invalid-pin';
import { libraryOptionFixes } from './library-options';
import { LIBRARY_OPTION_FIX } from '../libraries';
import { parseErrorCount, reparseWithEdits } from './parse-check';
import { pinCheckBypassedByTrustedCaFixes } from './pin-check-bypassed-by-trusted-ca';
import { pinningNotEnforcedFixes, pinSetExpiredFixes, userCaTrustedFixes } from './platform-configs';
import { pinCheckIgnoresHostFixes, restrictToHostEdits } from './pin-check-ignores-host';
import { rawPublicKeyHashFixes } from './raw-public-key-hash';
import { singlePinFixes } from './single-pin';
import { applyOffsetEdits, mergeInsertions } from './text';
import { TextNeeded } from '../facts/tree';
import { trustAllCertificatesFixes } from './trust-all-certificates';
import type { Fix, FixableFinding, OffsetEdit, TextEdit } from './types';

export type { Fix, FixableFinding, FixInput, TextEdit } from './types';

const PROVIDERS: Record<string, FixProvider> = {
  'trust-all-certificates': trustAllCertificatesFixes,
  'single-pin': singlePinFixes,
  'invalid-pin': invalidPinFixes,
  'full-certificate-hash': fullCertificateHashFixes,
  'pin-check-ignores-host': pinCheckIgnoresHostFixes,
  'pin-check-bypassed-by-trusted-ca': pinCheckBypassedByTrustedCaFixes,
  'raw-public-key-hash': rawPublicKeyHashFixes,
  'pin-set-expired': pinSetExpiredFixes,
  'user-ca-trusted': userCaTrustedFixes,
  'pinning-not-enforced': pinningNotEnforcedFixes,
};

/** A finding about a library option is fixed by its model, whatever the rule. */
function providerFor(finding: FixableFinding): FixProvider | undefined {
  return finding.data?.fix === LIBRARY_OPTION_FIX ? libraryOptionFixes : PROVIDERS[finding.ruleId];
}

export interface FixesOptions {
  /** Add "Ignore on this line" (not for fix-all). Default true. */
  ignore?: boolean;
  /** Only the preferred fix (fix-all): the others are not even checked. */
  preferredOnly?: boolean;
}

/**
 * The fixes for one finding of `file`, the preferred one first (at most one is preferred).
 * `file` must hold the text and tree the finding was computed from.
 */
export function fixesFor(file: SourceFile, finding: FixableFinding, parsers: Parsers, options: FixesOptions = {}): Fix[] {
  const context = new FixContext(file, finding);
  let drafts: DraftFix[];
  try {
    drafts = providerFor(finding)?.(context) ?? [];
  } catch (error) {
    rethrowTextNeeded(error);
    drafts = []; // a fix that trips over an unexpected tree offers nothing; the finding stays
  }
  if (options.preferredOnly) drafts = drafts.filter((d) => d.preferred);
  else if (options.ignore !== false) {
    const ignore = ignoreOnThisLine(context);
    if (ignore) drafts.push(ignore);
  }
  const checker = new EditChecker(file, parsers);
  const fixes: Fix[] = [];
  for (const draft of drafts) {
    const fix = checker.toFix(draft);
    if (fix) fixes.push(fix);
  }
  const preferred = fixes.findIndex((f) => f.preferred);
  if (preferred > 0) fixes.unshift(...fixes.splice(preferred, 1));
  fixes.forEach((f, i) => (f.preferred = f.preferred && i === 0));
  return fixes;
}

/** The preferred fix when it is an edit (needs no input), as fix-all and `scan --fix` apply it. */
export function preferredEdit(file: SourceFile, finding: FixableFinding, parsers: Parsers): Fix | undefined {
  const [first] = fixesFor(file, finding, parsers, { preferredOnly: true });
  return first?.preferred && first.edits ? first : undefined;
}

/**
 * The preferred fix's edits as the provider drafted them, not yet checked by a parse: fix-all
 * applies many at once and checks the result with one parse (falling back to `preferredEdit`).
 */
export function preferredDraft(file: SourceFile, finding: FixableFinding): { title: string; edits: OffsetEdit[] } | undefined {
  try {
    const draft = providerFor(finding)?.(new FixContext(file, finding)).find((d) => d.preferred);
    return draft?.edits ? { title: draft.title, edits: mergeInsertions(draft.edits) } : undefined;
  } catch (error) {
    rethrowTextNeeded(error);
    return undefined;
  }
}

/** A fix drafted on a tree parsed in parts (the CLI's) that needs more of the text asks for it, rather than being dropped. */
function rethrowTextNeeded(error: unknown): void {
  if (error instanceof TextNeeded) throw error;
}

/**
 * "Restrict the check to a host…" once the user named the host: the edit for the check at `range`,
 * checked like every other fix; undefined when the host is no host name or the check's shape is unknown.
 */
export function restrictToHostFix(file: SourceFile, range: Range, host: string, parsers: Parsers): Fix | undefined {
  const context = new FixContext(file, { ruleId: 'pin-check-ignores-host', range });
  const edits = restrictToHostEdits(context, host, range);
  if (!edits) return undefined;
  return new EditChecker(file, parsers).toFix({ title: `Restrict the check to ${host}`, preferred: true, edits });
}

/** A fix's edits as offered: checked against a re-parse and converted to line/character ranges; undefined when refused. */
export function validatedFix(file: SourceFile, parsers: Parsers, draft: DraftFix): Fix | undefined {
  return new EditChecker(file, parsers).toFix(draft);
}

/** Validates drafts against a re-parse and converts their offsets to line/character ranges. */
class EditChecker {
  private baseline: number | undefined;

  constructor(
    private readonly file: SourceFile,
    private readonly parsers: Parsers,
  ) {}

  toFix(draft: DraftFix): Fix | undefined {
    if (!draft.edits) return draft.input ? { title: draft.title, preferred: draft.preferred, input: draft.input } : undefined;
    const edits = mergeInsertions(draft.edits);
    let fixed: string;
    try {
      fixed = applyOffsetEdits(this.file.text, edits);
    } catch {
      return undefined;
    }
    if (fixed === this.file.text || !this.parsesAsWell(edits, fixed)) return undefined;
    return { title: draft.title, preferred: draft.preferred, edits: edits.map((e) => this.toTextEdit(e)) };
  }

  /** No more ERROR/MISSING nodes than the file had (none, for a file that parsed cleanly). A parse that fails refuses the fix. */
  private parsesAsWell(edits: OffsetEdit[], fixed: string): boolean {
    this.baseline ??= parseErrorCount(this.file.syntax);
    let tree: SyntaxTree | undefined;
    try {
      const reparsed = reparseWithEdits(this.file, this.parsers, edits);
      tree = reparsed.tree;
      return reparsed.text === fixed && parseErrorCount(tree) <= this.baseline;
    } catch (error) {
      rethrowTextNeeded(error);
      return false;
    } finally {
      tree?.delete();
    }
  }

  private toTextEdit(edit: OffsetEdit): TextEdit {
    return { range: { start: this.file.positionAt(edit.start), end: this.file.positionAt(edit.end) }, newText: edit.text };
  }
}

/** Applies LSP-shaped edits (ranges into `text`) to `text`. */
export function applyTextEdits(file: Pick<SourceFile, 'offsetAt' | 'text'>, edits: readonly TextEdit[]): string {
  return applyOffsetEdits(file.text, edits.map((e) => ({ start: file.offsetAt(e.range.start), end: file.offsetAt(e.range.end), text: e.newText })));
}
