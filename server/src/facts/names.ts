import { utf8Scratch } from '../engine/triggers';
import { WordScanner } from '../engine/word-scanner';

/** `SslPins` → ssl, pins; `fingerprint256` → fingerprint256; `SPKIHashes` → spki, hashes; `kPin` → k, pin. */
export function nameWords(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])\d*|[A-Z]?[a-z]+\d*|\d+/g) ?? []).map((w) => w.toLowerCase());
}

/** Words that say a name holds pins (whole words: `spinner` and `shipping` do not count). */
const PIN_SET_WORD = /^(pins?|pinned|pinning|pinsets?|spkis?|hash(es)?|fingerprints?|fingerprint\d+|certs?|certificates?)$/;

/** Everyday names with such a word that never name pins: Dart's `hashCode`, `Object.hash`, Swift's `hashValue`, `hash(into:)`. */
const NEVER_PIN_SET_NAMES = new Set(['hash', 'hashCode', 'hashValue', 'hashAll', 'hashAllUnordered']);

/** Whether `name` mentions pin, spki, fingerprint, hash or cert as a word of its own. */
export function isPinSetName(name: string): boolean {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    verdict = !NEVER_PIN_SET_NAMES.has(name) && nameWords(name).some((w) => PIN_SET_WORD.test(w));
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(ownCopy(name), verdict);
  }
  return verdict;
}

/**
 * Head words of names that hold something other than pins: hosts (`pinnedHosts`,
 * `_pinnedDomainSuffixes`, `certUrls`), and names of code or data (`exportedMethods` in a
 * `CertificatePinningModule`, `hashFields`).
 */
const NOT_PINS_WORD = /^(hosts?|hostnames?|domains?|subdomains?|suffix(es)?|urls?|uris?|endpoints?|origins?|servers?|addresses|methods|functions|selectors|events|routes|fields|columns|headers|params|permissions|roles)$/;
/** Words after which a name goes on to say what its head word is for: `pinsForHost`, `hashesByDomain`. */
const LINKING_WORD = /^(by|for|per|of|to|from|in|on|with|at)$/;
/** Words that say only that a name holds several: `pinnedHostList`. */
const CONTAINER_WORD = /^(list|set|array|arr)$/;

/**
 * Whether `name`'s head word says it holds something other than pins, whatever else it says:
 * `pinnedHosts`, `pinnedExactDomains`, `hosts` (a key beside `pins`), `exportedMethods`. Apps
 * list the hosts they pin next to their pins, in names with `pinned` in them; `pinsForHost`
 * holds pins (its head is `pins`).
 */
export function namesOtherThanPins(name: string): boolean {
  const words = nameWords(name);
  const linked = words.findIndex((w) => LINKING_WORD.test(w));
  let head = linked > 0 ? linked - 1 : words.length - 1;
  while (head > 0 && CONTAINER_WORD.test(words[head])) head--;
  return head >= 0 && NOT_PINS_WORD.test(words[head]);
}

/**
 * `name` in a string of its own, for a key kept across edits. A name cut from a file's text (13
 * characters or more) is a view into that text in V8 and keeps all of it alive: as a key of
 * `verdicts`, each name an edit made new (`hashedPasswordx`) kept that edit's whole text
 * (measured: 9 texts of a 220 KB file after 60 edits, where 1 is open). Joined to a character
 * and cut again, it is copied.
 */
export function ownCopy(name: string): string {
  return (' ' + name).slice(1);
}

/**
 * `isPinSetName` by name: a file names the same few things over and over (`hashedPassword` in
 * every other member), and an edit searches the whole file again.
 */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 10_000;

/** Where a pin-set word can start a name: the same words as `PIN_SET_WORD`, in any case. */
const PIN_SET_WORD_STARTS = ['pin', 'spki', 'fingerprint', 'hash', 'cert'];

/**
 * The search for `PIN_SET_WORD_STARTS` in UTF-8, the trigger words' (word-scanner.ts), made once per
 * thread. A regular expression over the text (`/pin|spki|.../gi`) took 35-60 ms of an app-shape
 * scan's main thread, confirming 860 files' pin-set names.
 */
let pinWordSearch: WordScanner | undefined;

/**
 * The names in `text` (identifiers, keys, words of strings) that `isPinSetName` accepts, with
 * where each starts. Each occurrence of a pin word is widened to the identifier around it, since
 * `nameWords` splits names only at characters outside one; the search goes on after that
 * identifier (`pinCert`: one name, two words). The last text's names are kept: an analysis asks
 * twice (the pin-set trigger's confirmation, then the pin-set search).
 */
export function pinSetNameTokens(text: string, utf8?: Uint8Array): readonly { token: string; start: number }[] {
  if (last?.text === text) return last.tokens;
  const tokens = namesBetween(text, 0, text.length, utf8);
  last = { text, tokens };
  return tokens;
}

/**
 * Carries the last text's names (`pinSetNameTokens`) over an edit of it: `text` is `oldText` with
 * `[start, oldEnd)` replaced by what is now `[start, newEnd)`. An open document calls this after
 * each change, so that the next analysis of its text searches only the identifiers the edit
 * touched (a name is one identifier, and an edit changes only those it touches or joins).
 */
export function carryPinSetNameTokens(oldText: string, text: string, start: number, oldEnd: number, newEnd: number): void {
  if (last?.text !== oldText) return;
  const old = last.tokens;
  const tokens: { token: string; start: number }[] = [];
  let i = 0;
  // Those that end before the edit, with a character between (an edit next to a name may lengthen it).
  for (; i < old.length && old[i].start + old[i].token.length < start; i++) tokens.push(old[i]);
  while (i < old.length && old[i].start <= oldEnd) i++;
  tokens.push(...namesBetween(text, identifierStart(text, start), identifierEnd(text, newEnd)));
  const delta = newEnd - oldEnd;
  for (; i < old.length; i++) tokens.push({ token: old[i].token, start: old[i].start + delta });
  last = { text, tokens };
}

/**
 * The names that `isPinSetName` accepts among the identifiers that start in `[from, to)`, `from`
 * an identifier's start: around each occurrence of a pin-set word wholly in that stretch, the
 * first after the last name read, in text order. `utf8`: the whole text's UTF-8 bytes, when the
 * caller has them.
 */
function namesBetween(text: string, from: number, to: number, utf8?: Uint8Array): { token: string; start: number }[] {
  const tokens: { token: string; start: number }[] = [];
  pinWordSearch ??= WordScanner.compile(new Map(PIN_SET_WORD_STARTS.map((word) => [word, 1])), new Uint8Array(129));
  const bytes = utf8 && from === 0 && to === text.length ? utf8 : utf8Scratch(text.slice(from, to));
  pinWordSearch.load(bytes);
  // Words of three bytes or more: never more occurrences than there is room for.
  const occurrences = pinWordSearch.occurrences(1, bytes.length !== to - from)!;
  let searchedFrom = from;
  for (let k = 0; k < occurrences.length; k += 2) {
    if (from + occurrences[k] < searchedFrom) continue; // inside the identifier just read
    // The occurrence's last character lies inside the identifier it is widened to.
    const end = from + occurrences[k + 1];
    const start = identifierStart(text, end - 1);
    searchedFrom = identifierEnd(text, end);
    const token = text.slice(start, searchedFrom);
    // Copied: a name carried over edits would otherwise keep the text it was cut from alive.
    if (isPinSetName(token)) tokens.push({ token: ownCopy(token), start });
  }
  return tokens;
}

let last: { text: string; tokens: readonly { token: string; start: number }[] } | undefined;

/**
 * Whether `pinSetNameTokens` finds a name in the text whose UTF-8 bytes are `source`, from where
 * the trigger pass found a pin word to end (`wordEnds`): each is widened to the identifier around
 * it as there, without a search of the whole text. In bytes, a non-ASCII character is no part of
 * an identifier, as in the text.
 */
export function hasPinSetNameAt(source: Uint8Array, wordEnds: readonly number[]): boolean {
  // The pass's walks overlap: a word may be found twice, and in any order.
  const ends = Int32Array.from(wordEnds).sort();
  let testedUpTo = -1;
  for (const end of ends) {
    if (end <= testedUpTo) continue; // inside the identifier just tested
    const start = identifierStart(source, end - 1);
    const stop = identifierEnd(source, end);
    testedUpTo = stop;
    const name = Buffer.from(source.buffer, source.byteOffset + start, stop - start).toString('latin1');
    if (isPinSetName(name)) return true;
  }
  return false;
}

/** `at` moved back over the identifier characters before it (in UTF-8 bytes or in text). */
function identifierStart(source: Uint8Array | string, at: number): number {
  while (at > 0 && isIdentifierCode(codeAt(source, at - 1))) at--;
  return at;
}

/** `at` moved on over the identifier characters from it. */
function identifierEnd(source: Uint8Array | string, at: number): number {
  while (at < source.length && isIdentifierCode(codeAt(source, at))) at++;
  return at;
}

function codeAt(source: Uint8Array | string, i: number): number {
  return typeof source === 'string' ? source.charCodeAt(i) : source[i];
}

/** [A-Za-z0-9_$]: a character of an identifier in all three languages (ASCII). */
export function isIdentifierCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/**
 * What `/\s/` matches, as a character code: JavaScript's white space and line terminators
 * (test/unit/names.test.ts holds it to the expression on every UTF-16 unit).
 */
export function isSpaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Where `name` occurs as a whole identifier. */
export function identifierOccurrences(text: string, name: string): number[] {
  const found: number[] = [];
  if (name === '') return found;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    if (!isIdentifierCode(text.charCodeAt(at - 1)) && !isIdentifierCode(text.charCodeAt(at + name.length))) found.push(at);
  }
  return found;
}

/** Whether the file adds to the collection named `name` (`fingerprints.add(fp)`, `pins.append(…)`, `seen.push(…)`). */
export function filledLater(text: string, name: string): boolean {
  return identifierOccurrences(text, name).some((at) => ADDS_TO_LIST.test(text.slice(at + name.length, at + name.length + 40)));
}

const ADDS_TO_LIST = /^\s*(\?\.|\.\.|\.)(add|addAll|append|appendContentsOf|push|unshift|insert)\s*\(/;
