/**
 * Fixes of findings about library options (`reportTrustOptions`): the model that found the
 * option knows its fix. The option is found again in the current text by the finding's rule and
 * range, so the edit is never stale.
 */
import { LIBRARY_OPTION_FIX, RULE_OF_EFFECT, trustOptions, type TrustEffect } from '../libraries';
import type { DraftFix, FixContext } from './context';

export function libraryOptionFixes(context: FixContext): DraftFix[] {
  if (context.fixKind !== LIBRARY_OPTION_FIX) return [];
  const effect = (Object.keys(RULE_OF_EFFECT) as TrustEffect[]).find((e) => RULE_OF_EFFECT[e] === context.finding.ruleId);
  if (!effect) return [];
  const option = trustOptions(context.file, effect).find((o) => o.fix && context.isFindingNode(o.node));
  return option?.fix ? [{ title: option.fix.title, preferred: true, edits: option.fix.edits }] : [];
}
