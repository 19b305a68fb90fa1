import { isIdentifierCode } from '../facts/names';
import { pinSetTriggers } from '../facts/pin-sets';
import { familyOf, type Family, type GrammarId } from './languages';
import type { Rule } from './rule';
import { byteOrderMarkLength } from './source-bytes';
import { escapeRegExp, MAX_GROUPS, TriggerMatcher, type GroupMask, type WordEnds } from './triggers';
import type { ConfirmedTrigger, RuleMeta, RuleSettings, Trigger, TriggerList } from './types';

export function isConfirmedTrigger(trigger: Trigger): trigger is ConfirmedTrigger {
  return typeof trigger === 'object' && !(trigger instanceof RegExp);
}

/**
 * `word` (any case, as every trigger word) only where it is not the start of a longer name:
 * no ASCII letter, digit, `_` or `$` after it. For a property or an argument a rule knows by its
 * exact name (Dio's `validateCertificate`): the app shape's Flutter controllers name methods
 * `validateCertificateId28()`, and 48 of its files were parsed for that alone. Settled on the
 * bytes, where the trigger pass found each occurrence to end.
 */
export function wholeWord(word: string): ConfirmedTrigger {
  const occurrences = new RegExp(escapeRegExp(word), 'gi');
  // One test of what goes on a name, on bytes and text alike (names.ts). Past the end, `source[end]`
  // is undefined and `charCodeAt` NaN: no identifier character.
  const confirmedAt = (text: string) =>
    [...text.matchAll(occurrences)].map((m) => m.index!).filter((at) => !isIdentifierCode(text.charCodeAt(at + word.length)));
  return {
    words: [word],
    rejects: (source, wordEnds) => wordEnds.every((end) => isIdentifierCode(source[end])),
    confirm: (text) => confirmedAt(text).length > 0,
    confirmedAt,
  };
}

/** A rule's triggers for one language; undefined when it has none there (it always runs). */
export function triggersFor(triggers: RuleMeta['triggers'], family: Family): TriggerList | undefined {
  if (!triggers) return undefined;
  return isTriggerList(triggers) ? triggers : triggers[family];
}

function isTriggerList(triggers: NonNullable<RuleMeta['triggers']>): triggers is TriggerList {
  return Array.isArray(triggers);
}

/** The words and patterns the trigger pass looks for (what `rg` would search for). */
export function triggerSources(list: TriggerList): (string | RegExp)[] {
  return list.flatMap((t): (string | RegExp)[] => (isConfirmedTrigger(t) ? [...t.words] : [t]));
}

interface CompiledList {
  /** Group of the list's words and patterns; -1 when it has only confirmed ones. */
  plain: number;
  /** Group and index (in `confirms`) of each confirmed trigger. */
  confirmed: { group: number; confirm: number }[];
}

/**
 * Which of several trigger lists (one per rule, and the pin-set model's) a file satisfies: one
 * search of its bytes for all of them, then only the confirmations that search asked for, each
 * at most once.
 */
export class TriggerSet {
  /** Per matcher, the groups of the confirmations that can reject a file from where their words end. */
  private readonly rejectGroups: GroupMask[];

  private constructor(
    private readonly matchers: TriggerMatcher[],
    private readonly lists: CompiledList[],
    private readonly confirms: ConfirmedTrigger[],
    /** The group of each confirmation's words. */
    private readonly confirmGroups: number[],
  ) {
    this.rejectGroups = matchers.map(() => 0);
    confirms.forEach((c, i) => {
      const group = confirmGroups[i];
      if (c.rejects) this.rejectGroups[Math.floor(group / MAX_GROUPS)] |= 1 << group % MAX_GROUPS;
    });
  }

  /** An undefined or empty list always matches. */
  static compile(lists: readonly (TriggerList | undefined)[]): TriggerSet {
    const groups: (readonly (string | RegExp)[] | undefined)[] = [];
    const confirms: ConfirmedTrigger[] = [];
    const confirmGroups: number[] = [];
    const compiled = lists.map((list): CompiledList => {
      const plain = (list ?? []).filter((t): t is string | RegExp => !isConfirmedTrigger(t));
      const confirmed = (list ?? []).filter(isConfirmedTrigger).map((trigger) => {
        let confirm = confirms.indexOf(trigger); // lists share them: the pin-set words serve three
        if (confirm < 0) {
          confirm = confirms.push(trigger) - 1;
          confirmGroups.push(groups.push(trigger.words) - 1);
        }
        return { group: confirmGroups[confirm], confirm };
      });
      return { plain: plain.length > 0 || confirmed.length === 0 ? groups.push(plain) - 1 : -1, confirmed };
    });
    const matchers: TriggerMatcher[] = [];
    for (let i = 0; i < groups.length; i += MAX_GROUPS) matchers.push(TriggerMatcher.compile(groups.slice(i, i + MAX_GROUPS)));
    return new TriggerSet(matchers, compiled, confirms, confirmGroups);
  }

  /** For each list, whether `text` satisfies it: what its UTF-8 bytes do (triggers.ts). */
  matchText(text: string): boolean[] {
    const utf8 = UTF8.encode(text);
    return this.match(utf8, utf8, () => text);
  }

  /**
   * `matchText` on UTF-8 bytes; `decode` is called only when a pattern or a confirmation needs
   * the text, which starts after a byte-order mark, as source-bytes.ts's `decoder` gives it.
   */
  matchBytes(bytes: Uint8Array, decode: () => string): boolean[] {
    return this.match(bytes, bytes.subarray(byteOrderMarkLength(bytes)), decode);
  }

  /** `utf8`: the text's own bytes (`bytes` after a byte-order mark), for the confirmations. */
  private match(bytes: Uint8Array, utf8: Uint8Array, decode: () => string): boolean[] {
    let text: string | undefined;
    const decodeOnce = () => (text ??= decode());
    const ends = this.wordEnds();
    return this.resolve(this.matchers.map((m, k) => m.groupsInBytes(bytes, decodeOnce, ends[k])), decodeOnce, bytes, utf8, ends);
  }

  /**
   * Per matcher, where the words of the confirmations that can reject end (`ConfirmedTrigger.rejects`),
   * to be gathered by the trigger pass. Those of two such confirmations in one matcher would be
   * mixed: each would then see more words than its own, and reject less often, never wrongly.
   */
  private wordEnds(): (WordEnds | undefined)[] {
    return this.rejectGroups.map((groups) => (groups === 0 ? undefined : { groups, at: [], complete: true }));
  }

  /** `bytes`: the file's UTF-8 bytes, and `ends` where the rejecting confirmations' words end in them. */
  private resolve(masks: GroupMask[], text: () => string, bytes: Uint8Array, utf8: Uint8Array, ends: (WordEnds | undefined)[]): boolean[] {
    const has = (group: number) => (masks[Math.floor(group / MAX_GROUPS)] & (1 << group % MAX_GROUPS)) !== 0;
    const confirmed: (boolean | undefined)[] = [];
    const confirm = (i: number) => {
      const { rejects, confirm } = this.confirms[i];
      const found = ends[Math.floor(this.confirmGroups[i] / MAX_GROUPS)];
      return !(rejects && found?.complete && rejects(bytes, found.at)) && confirm(text(), utf8);
    };
    const isConfirmed = (i: number) => (confirmed[i] ??= confirm(i));
    return this.lists.map((list) =>
      (list.plain >= 0 && has(list.plain)) || list.confirmed.some((c) => has(c.group) && isConfirmed(c.confirm)));
  }
}

/** The rules a file's trigger words call for, and whether it can hold a pin set at all. */
export interface Triggered {
  rules: Rule[];
  pinSets: boolean;
}

/** `Triggered` with the rules' ids: what a scan's main thread sends the thread that parses the file. */
export interface TriggeredIds {
  rules: string[];
  pinSets: boolean;
}

/**
 * The rules' triggers, compiled once per language and set of active rules: which rules a file
 * calls for. Needs no parser, so a scan's main thread can sort files out while its threads parse.
 */
export class RuleTriggers {
  /** Per family and set of active rules: list 0 is the pin-set model's triggers, list i + 1 those of rule i. */
  private readonly sets = new Map<string, TriggerSet>();
  /**
   * The active rules and their trigger set, per settings object and family: a scan asks 10,000
   * times with the same ones. Settings objects are built whole and never changed afterwards.
   */
  private readonly bySettings = new WeakMap<RuleSettings, Map<Family, { rules: Rule[]; set: TriggerSet | undefined }>>();

  /**
   * Per family and triggered rules: one matcher for their trigger words and patterns (and the pin
   * sets'), and the confirmations that say where their words count (`ConfirmedTrigger.confirmedAt`).
   */
  private readonly mentionMatchers = new Map<string, { matcher: TriggerMatcher | undefined; located: ConfirmedTrigger[] }>();

  constructor(readonly rules: readonly Rule[]) {}

  /**
   * Whether `text[start, end)` holds a trigger word or pattern of the rules a file's trigger
   * words called for, or of the pin sets when it may hold one: the parts of the file its partial
   * parse reads first (partial-parse.ts). Only theirs: in a file that accepts any certificate at
   * the top and names `imageHash` in most members, the members are not read. A confirmed
   * trigger's words count where its confirmation may accept them (`confirmedAt`, asked of the
   * whole text, at most once), elsewhere they do not: the members that read `hashedPassword`
   * are not read either.
   */
  mentions(family: Family, triggered: Triggered, text: string, utf8?: Uint8Array): (start: number, end: number) => boolean {
    const key = `${family}:${triggered.pinSets ? 'pin sets,' : ''}${triggered.rules.map((r) => r.meta.id).join(',')}`;
    let entry = this.mentionMatchers.get(key);
    if (!entry) {
      const lists = [...(triggered.pinSets ? [pinSetTriggers(family)] : []), ...triggered.rules.map((r) => triggersFor(r.meta.triggers, family) ?? [])];
      const located = [...new Set(lists.flat().filter((t): t is ConfirmedTrigger => isConfirmedTrigger(t) && t.confirmedAt !== undefined))];
      const sources = triggerSources(lists.flat().filter((t) => !located.includes(t as ConfirmedTrigger)));
      // None (rules that always run): no part mentions one, and the file is parsed whole.
      entry = { matcher: sources.length > 0 ? TriggerMatcher.compile([sources]) : undefined, located };
      this.mentionMatchers.set(key, entry);
    }
    const { matcher, located } = entry;
    const holdsTrigger = matcher?.slices(text, utf8);
    let starts: number[] | undefined;
    let regions: readonly { start: number; end: number }[] | undefined;
    return (start, end) => {
      if (holdsTrigger?.(start, end)) return true;
      if (located.length === 0) return false;
      starts ??= located.flatMap((trigger) => trigger.confirmedAt!(text)).sort((a, b) => a - b);
      if (firstAtOrAfter(starts, start) < end) return true;
      regions ??= located.flatMap((trigger) => trigger.regionsAt?.(text) ?? []);
      return regions.some((region) => region.start < end && start < region.end);
    };
  }

  /** The rules `triggered` names (a thread's ids for them). */
  resolve(triggered: TriggeredIds): Triggered {
    const rules = triggered.rules.map((id) => {
      const rule = this.rules.find((r) => r.meta.id === id);
      if (!rule) throw new Error(`no rule ${id} in this engine`);
      return rule;
    });
    return { rules, pinSets: triggered.pinSets };
  }

  /** Which active rules `text` calls for. */
  inText(grammar: GrammarId, text: string, settings?: RuleSettings): Triggered {
    return this.triggered(grammar, settings, (set) => set.matchText(text));
  }

  /** `inText` for UTF-8 bytes; `decode` is called only when a pattern or a confirmation needs the text. */
  inBytes(grammar: GrammarId, bytes: Uint8Array, decode: () => string, settings?: RuleSettings): Triggered {
    return this.triggered(grammar, settings, (set) => set.matchBytes(bytes, decode));
  }

  private triggered(grammar: GrammarId, settings: RuleSettings = NO_SETTINGS, match: (set: TriggerSet) => boolean[]): Triggered {
    const { rules, set } = this.forFamily(familyOf(grammar), settings);
    if (!set) return { rules: [], pinSets: false };
    const matched = match(set);
    return { rules: rules.filter((_, i) => matched[i + 1]), pinSets: matched[0] };
  }

  private forFamily(family: Family, settings: RuleSettings): { rules: Rule[]; set: TriggerSet | undefined } {
    let perFamily = this.bySettings.get(settings);
    if (!perFamily) this.bySettings.set(settings, (perFamily = new Map()));
    let entry = perFamily.get(family);
    if (!entry) {
      const rules = this.rules.filter((r) => r.checks[family] && settings[r.meta.id] !== 'off');
      const key = `${family}:${rules.map((r) => r.meta.id).join(',')}`;
      let set = this.sets.get(key);
      if (!set && rules.length > 0) {
        set = TriggerSet.compile([pinSetTriggers(family), ...rules.map((r) => triggersFor(r.meta.triggers, family))]);
        this.sets.set(key, set);
      }
      entry = { rules, set };
      perFamily.set(family, entry);
    }
    return entry;
  }
}

const NO_SETTINGS: RuleSettings = Object.freeze({});
const UTF8 = new TextEncoder();

/** The first of ascending `values` that is `at` or more; Infinity when there is none. */
function firstAtOrAfter(values: readonly number[], at: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo < values.length ? values[lo] : Infinity;
}
