import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAMILIES, familyOf, grammarForPath, type Family } from '../../../server/src/engine/languages';
import { TriggerSet, triggerSources, triggersFor } from '../../../server/src/engine/trigger-set';
import { ALL_RULES } from '../../../server/src/rules';

function source(trigger: string | RegExp): string {
  return typeof trigger === 'string' ? trigger.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : trigger.source;
}

/** The trigger lists of the rules that check `family`. */
function familyTriggers(family: Family) {
  return ALL_RULES.filter((r) => r.checks[family]).map((r) => triggersFor(r.meta.triggers, family));
}

/** Every rule's trigger words and patterns, in every language, as one case-insensitive pattern (JS and rg syntax alike). */
export function allTriggersPattern(): string {
  return [...new Set(FAMILIES.flatMap((f) => familyTriggers(f).flatMap((list) => triggerSources(list ?? []).map(source))))].join('|');
}

export interface TriggerShare {
  /** Files (and their bytes) holding a trigger of a rule for their language: the ones a scan must parse. */
  candidateFiles: number;
  candidateBytes: number;
  files: number;
  bytes: number;
  /** Candidate files per trigger (lower-cased match), most common first. */
  byTrigger: { trigger: string; files: number }[];
  /** Candidate files per name holding a trigger word (`passwordHash` holds `hash`), most common first; the first 20. */
  byName: { name: string; files: number }[];
  /** Files without any trigger word, relative to the workspace (not in the JSON results). */
  quietFiles: string[];
}

/** Which files the rules' triggers make parse candidates, and which words do it. */
export function triggerShare(workspace: string, skippedFolders: readonly string[]): TriggerShare {
  const skipped = new Set(skippedFolders);
  const perFamily = new Map<Family, { set: TriggerSet; each: RegExp[] }>();
  for (const family of FAMILIES) {
    const lists = familyTriggers(family);
    const sources = [...new Set(lists.flatMap((list) => triggerSources(list ?? []).map(source)))];
    // `pin|spki|hash` counts as three words, so the table can say which one a file had.
    const words = [...new Set(sources.flatMap((s) => (/^[\w|]+$/.test(s) ? s.split('|') : [s])))];
    perFamily.set(family, { set: TriggerSet.compile(lists), each: words.map((s) => new RegExp(s, 'i')) });
  }
  const share: TriggerShare = { candidateFiles: 0, candidateBytes: 0, files: 0, bytes: 0, byTrigger: [], byName: [], quietFiles: [] };
  const counts = new Map<string, number>();
  const nameCounts = new Map<string, number>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipped.has(entry.name)) visit(full);
        continue;
      }
      const grammar = grammarForPath(full);
      if (!grammar) continue;
      const text = fs.readFileSync(full, 'utf8');
      share.files++;
      share.bytes += text.length;
      const { set, each } = perFamily.get(familyOf(grammar))!;
      // The engine's own pre-filter, confirmations included: the files a scan parses.
      if (!set.matchText(text).some(Boolean)) {
        share.quietFiles.push(path.relative(workspace, full));
        continue;
      }
      share.candidateFiles++;
      share.candidateBytes += text.length;
      const words = new Set<string>();
      for (const pattern of each) {
        const m = pattern.exec(text);
        if (m) words.add(m[0].length > 24 ? '(pin-like literal)' : m[0].toLowerCase());
      }
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const name of namesHolding(text, words)) nameCounts.set(name, (nameCounts.get(name) ?? 0) + 1);
    }
  };
  visit(workspace);
  share.byTrigger = [...counts].map(([trigger, files]) => ({ trigger, files })).sort((a, b) => b.files - a.files);
  share.byName = [...nameCounts].map(([name, files]) => ({ name, files })).sort((a, b) => b.files - a.files).slice(0, 20);
  return share;
}

/** The identifiers in `text` that hold one of the plain trigger `words` inside them (`passwordHash`, `Spinner`), not the words alone. */
function namesHolding(text: string, words: ReadonlySet<string>): Set<string> {
  const plain = [...words].filter((w) => /^\w+$/.test(w));
  const names = new Set<string>();
  if (plain.length === 0) return names;
  for (const [name] of text.matchAll(new RegExp(`[\\w$]*(?:${plain.join('|')})[\\w$]*`, 'gi'))) {
    if (!plain.includes(name.toLowerCase())) names.add(name);
  }
  return names;
}

/**
 * A copy of the workspace (hard links) holding only the files without trigger words: scanned
 * and searched like the whole tree, it shows the cost of a scan without any parse next to rg's.
 */
export function quietSubset(workspace: string, dir: string, files: readonly string[]): { files: number; bytes: number } {
  const marker = path.join(dir, '.bench-subset.json');
  const stamp = JSON.stringify({ workspace, files: files.length, first: files[0], last: files[files.length - 1] });
  if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== stamp) {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.linkSync(path.join(workspace, file), path.join(dir, file));
    }
    fs.writeFileSync(marker, stamp);
  }
  let bytes = 0;
  for (const file of files) bytes += fs.statSync(path.join(dir, file)).size;
  return { files: files.length, bytes };
}
