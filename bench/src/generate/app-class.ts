/**
 * The large one-class files of real apps (a Flutter screen's State, a Swift view model, a React
 * Native store or screen): hundreds of small members, string interpolation on most lines, and the
 * names of the file's entity that hold pin, hash or cert without being pin sets. Each language
 * writes each kind of member in its own syntax; this file picks the members and the names.
 */
import type { Random } from '../random';
import type { CodeWriter } from './code-writer';
import { camel, fieldsFor, kebab, labelFor, LOOKALIKES, pascal, plural, UI_WORDS, VERBS, type Field } from './vocabulary';

/** What one member is about: names of the class's own fields and of its entity. */
export interface Member {
  /** Makes the member's name unique in its class. */
  n: number;
  /** `Order`, `order`, `orders`, `Orders`. */
  E: string;
  e: string;
  items: string;
  Items: string;
  verb: string;
  /** A string field (a look-alike such as `passwordHash` when the entity has them), a second one, a list field. */
  s: string;
  t: string;
  list: string;
  /** An ordinary field of the entity, read off its items. */
  g: string;
  /** A UI text that goes with `s`: `Enter PIN` next to `pinCode`. */
  label: string;
  /** `Header`, `Badge`…, for helper names. */
  ui: string;
  /** A route such as `change-pin` or `order-details`, and its name (`ChangePin`). */
  route: string;
  Route: string;
}

export type MemberKind = 'fetch' | 'label' | 'check' | 'ui' | 'json' | 'loop' | 'describe' | 'navigate' | 'update' | 'validate';
/** Picked with repeats as weights: a Dart class of 5,000 lines has about 600 members, as measured in the issue. */
const MEMBER_KINDS: readonly MemberKind[] = [
  'fetch', 'fetch', 'fetch', 'label', 'check', 'ui', 'ui', 'json', 'loop', 'loop', 'describe', 'navigate', 'update', 'validate', 'validate',
];
export type MemberWriters = Record<MemberKind, (w: CodeWriter, m: Member) => void>;

/** The class's fields: some of its entity's look-alike names (when it has any) and a few ordinary ones. */
export function classFields(random: Random, entity: string): Field[] {
  const lookalikes = LOOKALIKES[entity as keyof typeof LOOKALIKES] ?? [];
  const own = random.sample(lookalikes, random.int(Math.min(2, lookalikes.length), lookalikes.length));
  const fields = [...own, ...fieldsFor(random, 3, 6).filter((f) => !own.some((o) => o.name === f.name))];
  // Members read a list field: every class has one.
  return fields.some((f) => f.kind === 'stringList') ? fields : [...fields, { name: 'tags', kind: 'stringList' }];
}

/** Members, each after a blank line and most with a doc comment (`comment` starts it), until the writer holds `targetLines` lines. */
export function writeMembers(w: CodeWriter, random: Random, entity: string, fields: readonly Field[], writers: MemberWriters, targetLines: number, comment: string): void {
  const lookalikes = new Set((LOOKALIKES[entity as keyof typeof LOOKALIKES] ?? []).map((f) => f.name));
  const named = (kind: Field['kind'], fallback: string) => {
    const names = fields.filter((f) => f.kind === kind).map((f) => f.name);
    return names.length > 0 ? names : [fallback];
  };
  const strings = named('string', 'id');
  const ownStrings = strings.filter((s) => lookalikes.has(s));
  const lists = named('stringList', 'tags');
  // A screen's route: `change-pin` from `Change PIN` (short labels), or the entity's details.
  const routeOf = (label: string) => (ownStrings.length > 0 && label.split(' ').length <= 2 ? label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') : kebab(entity, 'details'));
  const ordinary = fields.filter((f) => !lookalikes.has(f.name)).map((f) => f.name);
  for (let n = 0; w.length < targetLines; n++) {
    const s = ownStrings.length > 0 && random.chance(0.6) ? random.pick(ownStrings) : random.pick(strings);
    const label = labelFor(random, ownStrings.length > 0 ? random.pick(ownStrings) : s);
    const route = routeOf(label);
    const member: Member = {
      n, E: pascal(entity), e: camel(entity), items: plural(camel(entity)), Items: pascal(plural(entity)),
      verb: random.pick(VERBS), s, t: random.pick(strings), list: random.pick(lists), g: random.pick(ordinary),
      label, ui: pascal(random.pick(UI_WORDS)), route, Route: pascal(...route.split('-')),
    };
    w.line();
    const kind = random.pick(MEMBER_KINDS);
    if (random.chance(0.8)) w.line(`${comment} ${pascal(member.verb)}s the ${member.e}'s ${s} (${kind}).`);
    writers[kind](w, member);
  }
}
