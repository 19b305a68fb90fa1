import type { Node } from 'web-tree-sitter';
import { filledLater, hasPinSetNameAt, identifierOccurrences, isPinSetName, nameWords, namesOtherThanPins } from './names';
import { hasCollectionLiteral, mayBeStringConstant, mayHoldNamedPinSet, pinSetNames, STATEMENT_WINDOW } from './pin-set-evidence';
import type { SourceFile } from '../engine/source-file';
import { patternMatches } from '../engine/triggers';
import { wordStarts } from '../engine/word-positions';
import type { Range, TriggerList } from '../engine/types';
import type { PinSet } from '../engine/workspace';
import { ancestors, contains, descendants, descendantsAround, MAX_CLIMBS, nodeAt, stringValue, wholeTreeWalksOnly } from './tree';
import { libraryWords, pinSetClaims } from '../libraries';
import { FAMILIES, type Family } from '../engine/languages';
import { platformPinSets, XML_PIN_SET_TRIGGERS } from '../platform';
import { swiftArgumentLabel } from './swift';
import { withBackupMarks } from './backup-pins';

const SHA256_PREFIX = 'sha256/';

/** base64 of 32 bytes, 64 hex digits, or 32 colon-separated hex pairs, anywhere in a text. */
const PIN_LIKE_LITERAL = /[A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64}|[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){31}/;

/** base64 of 32 bytes, 64 hex digits, or 32 colon-separated hex pairs: a pin-like literal makes a file a candidate by itself. */
export const PIN_SET_TRIGGERS: TriggerList = [PIN_LIKE_LITERAL];

/** A name `isPinSetName` accepts where a pin set can be named by it (facts/pin-set-evidence.ts), per language. */
const PIN_SET_NAMES = new Map(FAMILIES.map((family) => [family, {
  words: ['pin', 'spki', 'fingerprint', 'hash', 'cert'],
  confirm: (text: string, utf8?: Uint8Array) => mayHoldNamedPinSet(text, family, utf8),
  // The names are ASCII identifiers, the same in the bytes as in the text (`spinner`, `hashCode`: none).
  rejects: (source: Uint8Array, wordEnds: readonly number[]) => !hasPinSetNameAt(source, wordEnds),
  // The pin-set search looks around these names alone (`namesThatMayNameSets`).
  confirmedAt: (text: string) => pinSetNames(text, family).evidence.map((token) => token.start),
  // And walks the body of a function or type they name, when it may hold a collection
  // (`bodyMayHoldCollection`); a compared name's every occurrence tells whether it is a constant (`stringConstant`).
  regionsAt: (text: string) => pinSetNames(text, family).evidence.flatMap(({ token, why, body }) => {
    if (why === 'compared') return wordStarts(text, token).map((start) => ({ start, end: start + token.length }));
    return body && hasCollectionLiteral(text, body.start, body.end, family) ? [body] : [];
  }),
}]));

/**
 * The words a file of `family` with a pin set holds one of: a pin-like literal, a pin-set name,
 * a library's words; or the platform configs' root keys. A file with none holds no pin set
 * (see `looksLikePin`).
 */
export function pinSetTriggers(family: Family): TriggerList {
  return family === 'xml' ? XML_PIN_SET_TRIGGERS : [...PIN_SET_TRIGGERS, PIN_SET_NAMES.get(family)!, ...libraryWords(family, 'pinSets')];
}

/** `pinSetTriggers` of every family: the triggers of the rules that read pin sets. */
export function pinSetRuleTriggers(): Record<Family, TriggerList> {
  return Object.fromEntries(FAMILIES.map((family) => [family, pinSetTriggers(family)])) as Record<Family, TriggerList>;
}

/** base64 of 32 bytes (optionally `sha256/`-prefixed), or 64 hex digits (colons allowed). */
export function looksLikePin(value: string): boolean {
  const body = value.startsWith(SHA256_PREFIX) ? value.slice(SHA256_PREFIX.length) : value;
  return /^[A-Za-z0-9+/]{43}=$/.test(body) || /^[0-9a-fA-F]{64}$/.test(body) || /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){31}$/.test(body);
}

/**
 * Values in cert- and pin-named lists that are no pins: a certificate's file name, a URL, a host
 * name or domain suffix (`api.example.com`, `.example.com`: base64 and hex have no dots), a
 * digest's name.
 */
const NOT_A_PIN = /\.(pem|crt|cer|der|p12|pfx|key|json|plist)$|:\/\/|\s{2,}|^(\*?\.)?([\w-]+\.)+[a-z]{2,}$|^(sha-?(1|224|256|384|512)|md5)$/i;

export function looksLikeHost(value: string): boolean {
  return value === 'localhost' || /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value) && !looksLikePin(value);
}

interface Pin {
  value: string;
  range: Range;
}

const STRING_TYPES = new Set(['string_literal', 'line_string_literal', 'string', 'template_string']);
const COLLECTION_TYPES = new Set(['list_literal', 'set_or_map_literal', 'array_literal', 'array']);
/** What holds a call's argument: Dart's `argument`, TS's `arguments`, Swift's `value_argument` (unlabelled when unnamed). */
const ARGUMENT_TYPES = new Set(['argument', 'arguments', 'value_argument']);
const TYPE_TYPES = new Set(['class_definition', 'class_declaration', 'enum_declaration', 'protocol_declaration', 'extension_declaration', 'mixin_declaration']);

/** Every pin set of the file: collection literals and comparisons against pin constants. */
export function pinSets(file: SourceFile): PinSet[] {
  return file.fact('pinSets', () => withBackupMarks(file, file.xml ? platformPinSets(file)
    : withLibraryClaims(file, pinSetsOf(file, candidatesNearPins(file) ?? candidatesByWalk(file)))));
}

/**
 * The sets found by shape, with what the file's libraries say of their collections: the host a
 * library ties a set to, how it reads the values. A claimed collection is a pin set whatever its
 * name or values look like (`certs: ['api']` names certificate files); one the shape search
 * found already takes the library's word over its guesses.
 */
function withLibraryClaims(file: SourceFile, sets: PinSet[]): PinSet[] {
  const claims = pinSetClaims(file);
  if (claims.length === 0) return sets;
  const result = [...sets];
  for (const claim of claims) {
    const range = file.rangeOf(claim.node);
    const at = result.findIndex((s) => s.kind === 'collection' && sameRange(s.range, range));
    const found = at >= 0 ? result[at] : collectionPinSet(file, claim.node, true, claim.pins);
    if (!found) continue;
    const set: PinSet = {
      ...found,
      host: claim.host ?? found.host,
      name: claim.host ? claim.host : claim.name ?? found.name,
      library: claim.library,
      ...(claim.format.kind === 'spki-sha256' ? {} : { format: claim.format }),
      ...(claim.singlePinNote ? { singlePinNote: claim.singlePinNote } : {}),
      ...(claim.expires ? { expires: { date: claim.expires.date, range: file.rangeAt(claim.expires.start, claim.expires.end) } } : {}),
    };
    if (at >= 0) result[at] = set;
    else result.push(set);
  }
  return result.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character &&
    a.end.line === b.end.line && a.end.character === b.end.character;
}

/** A collection, or the top of a comparison chain (`a == X || a == Y`, parentheses included). */
function pinSetsOf(file: SourceFile, candidates: readonly Node[]): PinSet[] {
  const found: { set: PinSet; node: Node }[] = [];
  for (const node of candidates) {
    const set = COLLECTION_TYPES.has(node.type) ? collectionPinSet(file, node) : comparisonPinSet(file, node);
    if (set) found.push({ set, node });
  }
  return withBackupListsJoined(found);
}

/**
 * A list of backup pins beside the one list it backs up is one set with it: two lists of one pin
 * each are current and backup, not two sets without a backup. Beside means entries of one map or
 * arguments of one call (`pins: [a], backupPins: [b]`), or declarations of one type or file
 * (`static const primaryPins = [a]; static const backupPins = [b];`). Its pins are marked as
 * backups.
 */
function withBackupListsJoined(found: { set: PinSet; node: Node }[]): PinSet[] {
  const groups = found.map(({ set, node }) => (set.kind === 'collection' ? groupOf(node) : undefined));
  const backups = found.flatMap((_, i) => (isBackupKey(groups[i]?.key) ? [i] : []));
  if (backups.length === 0) return found.map((f) => f.set);
  const joined = new Set<PinSet>();
  const sets = found.map((f) => f.set);
  for (const backup of backups) {
    const container = groups[backup]!.container;
    const beside = found.flatMap((_, i) => (groups[i]?.container === container && !backups.includes(i) ? [i] : []));
    if (beside.length !== 1) continue;
    const current = sets[beside[0]];
    const backupSet = found[backup].set;
    sets[beside[0]] = {
      ...current,
      pins: [...current.pins, ...backupSet.pins.map((pin) => ({ ...pin, backup: true as const }))],
      usesSha256Prefix: current.usesSha256Prefix || backupSet.usesSha256Prefix,
    };
    joined.add(backupSet);
  }
  return sets.filter((set) => !joined.has(set));
}

/** `backupPins`, `backup_hashes`, `backups`: the key of an entry that holds backup pins. */
function isBackupKey(key: string | undefined): boolean {
  return key !== undefined && nameWords(key).some((w) => w === 'backup' || w === 'backups');
}

/**
 * Where the list `node` sits among its siblings, and its name there: the map or argument list
 * it is an entry of, with the entry's key or label; or, declared, the type that declares it (or
 * the file: -1), with the declared name. Containers are node ids.
 */
function groupOf(node: Node): { container: number; key: string } | undefined {
  const entry = node.parent;
  if (!entry?.parent) return undefined;
  if (entry.type === 'pair' || entry.type === 'named_argument' || entry.type === 'value_argument') {
    const key = entry.type === 'pair' ? mapKeyOf(entry, node) : nameOfBindingParent(entry);
    return key === undefined ? undefined : { container: entry.parent.id, key };
  }
  if (!DECLARATION_TYPES.has(entry.type)) return undefined;
  const key = nameOfBindingParent(entry);
  if (key === undefined) return undefined;
  for (const a of ancestors(entry)) {
    if (TYPE_TYPES.has(a.type)) return { container: a.id, key };
    if (FUNCTION_TYPES.includes(a.type) || a.type === 'function_body') return undefined; // locals: no join
  }
  return { container: -1, key };
}

function candidatesByWalk(file: SourceFile): Node[] {
  const candidates: Node[] = [];
  // Each candidate knowing whether it is an operand of a comparison chain (parentheses
  // skipped), from the candidates around it, in document order: `node.parent` costs a walk
  // from the root, and asking it per node was quadratic in nesting depth (4 s for 4,000
  // nested `a || (`).
  const open: { node: Node; comparison: boolean; inComparison: boolean }[] = [];
  for (const node of descendants(file.root, PIN_SET_CANDIDATE_TYPES)) {
    while (open.length > 0 && open[open.length - 1].node.endIndex <= node.startIndex) open.pop();
    const around = open.at(-1);
    const inComparison = !!around && (around.comparison || (around.inComparison && around.node.type === 'parenthesized_expression')) &&
      isChildOf(node, around.node);
    const comparison = isComparison(node);
    if (COLLECTION_TYPES.has(node.type) || (comparison && !inComparison)) candidates.push(node);
    open.push({ node, comparison, inComparison });
  }
  return candidates;
}

function isChildOf(node: Node, parent: Node): boolean {
  return parent.namedChildren.some((c) => c?.id === node.id);
}

/**
 * The collections and comparison chains that can be pin sets, found from what makes one: a
 * pin-like literal inside it, a pin-set name that names it (its variable, key, function or
 * class), or a reference to a constant with either. Most of a large file is neither, and is
 * not walked: the cost follows the pinning code, not the file.
 */
function candidatesNearPins(file: SourceFile): Node[] | undefined {
  if (wholeTreeWalksOnly()) return undefined;
  const literals = pinLikeLiterals(file);
  // Each literal and name costs a climb to the root: past a few dozen, one walk of the tree is cheaper.
  if (literals.length > MAX_CLIMBS) return undefined;
  const tokens: { token: string; start: number }[] = [];
  for (const token of namesThatMayNameSets(file)) {
    if (literals.length + tokens.push(token) > MAX_CLIMBS) return undefined;
  }
  const candidates = new Map<number, Node>();
  const around = (leaf: Node) => {
    const path = [...ancestors(leaf)].reverse(); // root first
    path.push(leaf);
    for (let i = path.length - 1; i >= 0; i--) {
      const node = path[i];
      if (COLLECTION_TYPES.has(node.type)) candidates.set(node.id, node);
      else if (isComparison(node)) {
        const top = chainTop(path, i);
        candidates.set(top.id, top);
      }
    }
  };
  for (const match of literals) {
    const leaf = nodeAt(file.root, match.start, match.end);
    if (leaf) around(leaf);
  }
  for (const { token, start } of tokens) {
    const leaf = nodeAt(file.root, start, start + token.length);
    if (!leaf) continue;
    around(leaf); // a reference to a pin-named constant, inside a comparison or a list
    for (const a of ancestors(leaf)) {
      const region = regionNamedBy(a, token);
      if (!region) continue;
      if (COLLECTION_TYPES.has(region.type)) candidates.set(region.id, region);
      for (const c of descendants(region, [...COLLECTION_TYPES])) candidates.set(c.id, c);
    }
  }
  // `static const primary = 'AAAA…='`: its references are pins too.
  const references = [...pinValuedConstantNames(file)].flatMap((name) => identifierOccurrences(file.text, name).map((start) => ({ name, start })));
  if (references.length > MAX_CLIMBS) return undefined;
  for (const { name, start } of references) {
    const leaf = nodeAt(file.root, start, start + name.length);
    if (leaf) around(leaf);
  }
  return [...candidates.values()].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
}

/**
 * The pin-set names that may name a set (pin-set-evidence.ts): `pinCode` in a form is no set's
 * name. That reads the text around each name, which says what the tree says only where the
 * parser did not have to recover from an error: near one, every pin-set name.
 */
function* namesThatMayNameSets(file: SourceFile): Generator<{ token: string; start: number }> {
  const { names, evidence: found } = pinSetNames(file.text, file.family);
  const damaged = errorRanges(file.root);
  // How far the text may say other than the tree around an error: the evidence's own reach.
  const nearError = (start: number) => damaged.some((r) => r.start - STATEMENT_WINDOW <= start && start <= r.end + STATEMENT_WINDOW);
  const evidence = new Set<number>();
  for (const token of found) {
    if (token.why === 'scope' && !bodyMayHoldCollection(file, token.body!)) continue;
    evidence.add(token.start);
  }
  for (const token of names) {
    if (evidence.has(token.start) || nearError(token.start)) yield token;
  }
}

/** The ranges of the tree's ERROR and MISSING nodes, found by descending only into subtrees that hold one. */
function errorRanges(root: Node): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  if (!root.hasError) return ranges;
  const stack: Node[] = [root];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.isError || n.isMissing) {
      ranges.push({ start: n.startIndex, end: n.endIndex });
      continue;
    }
    for (const child of n.children) if (child?.hasError) stack.push(child);
  }
  return ranges;
}

/**
 * Whether a function's or type's body, as its braces in the text delimit it, may hold a
 * collection: it holds a collection literal by the text, or the tree's body is not exactly
 * those braces (a brace in a string, a parser's error recovery), and the text cannot tell.
 */
function bodyMayHoldCollection(file: SourceFile, body: { start: number; end: number }): boolean {
  if (hasCollectionLiteral(file.text, body.start, body.end, file.family)) return true;
  const node = nodeAt(file.root, body.start, body.end);
  return node?.startIndex !== body.start || node.endIndex !== body.end;
}

/** The top of the comparison chain `path[i]` belongs to: up through comparisons and the parentheses between them. */
function chainTop(path: readonly Node[], i: number): Node {
  let top = i;
  for (let j = top - 1; j >= 0; j--) {
    if (isComparison(path[j])) top = j;
    else if (path[j].type !== 'parenthesized_expression') break;
  }
  return path[top];
}

/** The subtree whose collections `token` can name: a declaration, argument, assignment, key, function or type it is the name of. */
function regionNamedBy(node: Node, token: string): Node | undefined {
  if (node.type === 'dictionary_literal' || (node.type === 'pair' && node.childForFieldName('key')?.text.includes(token))) return node;
  if (TYPE_TYPES.has(node.type) || FUNCTION_TYPES.includes(node.type)) {
    return node.childForFieldName('name')?.text === token ? node : undefined;
  }
  if (SIGNATURE_TYPES.has(node.type)) {
    // Dart keeps a method's body beside its signature.
    const signature = node.type === 'method_signature' ? node.namedChildren[0] : node;
    const body = node.nextNamedSibling;
    return signature?.childForFieldName('name')?.text === token && body?.type === 'function_body' ? body : undefined;
  }
  if (BINDING_TYPES.has(node.type)) return nameOfBindingParent(node)?.includes(token) ? node : undefined;
  return undefined;
}

/**
 * The name of the string constant a literal is the value of, if any. A literal inside a
 * collection (`static let api = ["AAAA…="]`) names no constant: its name's references (`api`
 * in every call of an API client) hold no pin and need no look.
 */
function constantNameOf(leaf: Node): string | undefined {
  for (const a of ancestors(leaf)) {
    if (DECLARATION_TYPES.has(a.type)) {
      const declared = declaredString(a);
      return declared && contains(declared.value, leaf) ? declared.name.text : undefined;
    }
    if (a.type === 'function_body' || a.type === 'class_body' || a.type === 'statement_block' || a.type === 'program' || a.type === 'source_file') return undefined;
  }
  return undefined;
}

/** The pin-like literals of the file's text: searched for once per analysis (the pin sets and the pin-valued constants ask). */
function pinLikeLiterals(file: SourceFile): readonly { start: number; end: number }[] {
  return file.fact('pinLikeLiterals', () => [...patternMatches(file.text, PIN_LIKE_LITERAL)]);
}

const FUNCTION_TYPES = ['function_declaration', 'method_definition', 'function_expression', 'arrow_function', 'lambda_literal'];
const SIGNATURE_TYPES = new Set(['function_signature', 'method_signature', 'getter_signature']);
const DECLARATION_TYPES = new Set(['static_final_declaration', 'initialized_variable_definition', 'variable_declarator', 'public_field_definition', 'property_declaration']);
const BINDING_TYPES = new Set([...DECLARATION_TYPES, 'initialized_identifier', 'named_argument', 'value_argument', 'assignment_expression']);

// ------------------------------------------------------------------ collections

/** Properties and attributes whose strings are shown to the user, not used: `placeholder`, `pinHints`. */
const UI_TEXT_NAME = /(^|[a-z_])(placeholders?|hints?|labels?|titles?|helperTexts?)$/i;

/** `claimed`: a library reads the collection as pins, so neither its name nor its values need to look like pins. */
function collectionPinSet(file: SourceFile, node: Node, claimed = false, pinValues?: Node[]): PinSet | undefined {
  const elements = pinValues ? pinValues.map((v) => [v]) : elementGroups(node);
  if (elements === undefined || (elements.length === 0 && !claimed)) return undefined;
  // An element that is neither a string nor a name resolves to no pin: no climb for its names
  // (thousands of nested lists would make that quadratic).
  if (elements.some((e) => !(e.length === 1 && STRING_TYPES.has(e[0].type)) && referencedName(e) === undefined)) return undefined;
  const binding = bindingOf(node);
  // A collection whose own name says it holds something else (`pinnedHosts`, a `hosts:` key in a
  // pinning config, `exportedMethods()` in a pinning module) is no set by the pin-set names
  // around it; only pin-looking values make it one.
  const names = binding.name && namesOtherThanPins(binding.name) ? [] : [binding.name, binding.mapName, typeNameOf(node, binding)].filter((n): n is string => !!n);
  // Unclaimed, a collection is a set by its name or by a pin-looking value: with neither in
  // sight, its elements need no look-up (a walk of a large file meets hundreds of lists).
  // (Not under `withWholeTreeWalks`: the tests hold this shortcut to the look-ups it spares.)
  if (!claimed && !wholeTreeWalksOnly() && !names.some(isPinSetName) && !elements.some((e) => mayLookLikePin(file, e))) return undefined;
  const pins: Pin[] = [];
  for (const element of elements) {
    const pin = resolvePin(file, element)?.pin;
    if (!pin || (NOT_A_PIN.test(pin.value) && !claimed)) return undefined;
    pins.push(pin);
  }
  // TS/JS UI text: an example pin shown in a form (`hints: ['sha256/…']`) pins nothing.
  if (!claimed && file.family === 'ts' && binding.name && UI_TEXT_NAME.test(binding.name)) return undefined;
  if (!claimed && !names.some(isPinSetName) && !pins.some((p) => looksLikePin(p.value))) return undefined;
  // Its pins are then not those written, and we cannot see them (an empty list filled from a
  // parameter is no set without pins).
  if (binding.name && !binding.mapName && filledLater(file.text, binding.name)) return undefined;
  return {
    file: file.id,
    kind: 'collection',
    range: file.rangeOf(node),
    name: binding.mapName ? `${binding.mapName}[${binding.name ?? ''}]` : binding.name,
    host: binding.host,
    pins,
    usesSha256Prefix: pins.some((p) => p.value.startsWith(SHA256_PREFIX)),
  };
}

/**
 * The type whose name names a collection that has no name of its own, unless it is a row of a
 * table (a list in a list: the digits of a `PinPad`'s keys, `[['1', '2', '3'], …]`) or handed to
 * a call unnamed, which makes of it what it does (`_buildNumRow(['1', '2', '3'])` in a `PinScreen`).
 */
function typeNameOf(node: Node, binding: Binding): string | undefined {
  const unnamed = !binding.name && !binding.mapName;
  let parent = true;
  for (const a of ancestors(node)) {
    if (parent && unnamed && (COLLECTION_TYPES.has(a.type) || ARGUMENT_TYPES.has(a.type))) return undefined;
    parent = false;
    if (TYPE_TYPES.has(a.type)) return a.childForFieldName('name')?.text;
  }
  return undefined;
}

/**
 * The elements of a list literal, each as the run of sibling nodes that form it (Dart spreads
 * `A.b` over two siblings). Undefined when the literal is a map or holds spreads/comprehensions.
 */
function elementGroups(node: Node): Node[][] | undefined {
  if (node.type === 'array_literal') return node.childrenForFieldName('element').map((e) => [e]);
  const groups: Node[][] = [[]];
  for (const child of node.children) {
    if (!child || child.type === 'comment' || child.type === 'type_arguments') continue;
    if (child.type === 'pair' || child.type.includes('spread') || child.type.includes('for_') || child.type.includes('if_')) return undefined;
    if (child.type === ',') groups.push([]);
    else if (child.isNamed) groups[groups.length - 1].push(child);
  }
  return groups.filter((g) => g.length > 0);
}

/** A string literal, or a reference to a same-file string constant (`kPin`, `SslPins.primary`). */
function resolvePin(file: SourceFile, parts: Node[]): ResolvedPin | undefined {
  if (parts.length === 1 && STRING_TYPES.has(parts[0].type)) {
    const value = stringValue(parts[0]);
    return value === undefined ? undefined : { pin: { value, range: file.rangeOf(parts[0]) } };
  }
  const name = referencedName(parts);
  const constant = name ? stringConstant(file, name) : undefined;
  return constant ? { pin: { value: constant.value, range: file.rangeOf(constant.node) }, constant: name } : undefined;
}

/**
 * Whether `parts` may resolve to a pin-looking value: a literal that looks like a pin, or the
 * name of a constant whose value holds a pin-like literal. What `resolvePin` would look up
 * declarations to tell, told from the file's few pin-like literals.
 */
function mayLookLikePin(file: SourceFile, parts: Node[]): boolean {
  if (parts.length === 1 && STRING_TYPES.has(parts[0].type)) {
    const value = stringValue(parts[0]);
    return value !== undefined && looksLikePin(value);
  }
  const name = referencedName(parts);
  return name !== undefined && pinValuedConstantNames(file).has(name);
}

/**
 * Whether `name` may be a string constant with a pin-set name, by the text (pin-set-evidence.ts),
 * before `stringConstant` looks up its declarations: a field named `pinCode` is in hundreds of
 * places, and assigned in some.
 */
function mayBePinNamedConstant(file: SourceFile, name: string | undefined): boolean {
  return name !== undefined && isPinSetName(name) && textMayBeStringConstant(file, name);
}

function textMayBeStringConstant(file: SourceFile, name: string): boolean {
  return file.fact(`mayBeStringConstant ${name}`, () => mayBeStringConstant(file.text, name, file.family));
}

/** The names of the constants whose value holds a pin-like literal (`static const primary = 'AAAA…='`). */
function pinValuedConstantNames(file: SourceFile): Set<string> {
  return file.fact('pinValuedConstantNames', () => {
    const names = new Set<string>();
    for (const { start, end } of pinLikeLiterals(file)) {
      const leaf = nodeAt(file.root, start, end);
      const name = leaf && constantNameOf(leaf);
      if (name) names.add(name);
    }
    return names;
  });
}

/** A pin, and the name of the constant it was read from. */
interface ResolvedPin {
  pin: Pin;
  constant?: string;
}

/** `x`, `A.x` (Dart: identifier + selector; Swift: navigation_expression; TS: member_expression) → x. */
function referencedName(parts: Node[]): string | undefined {
  const last = parts[parts.length - 1];
  if (parts.length === 1 && (last.type === 'identifier' || last.type === 'simple_identifier')) return last.text;
  if (parts.length === 2 && parts[0].type === 'identifier' && last.type === 'selector') {
    const selector = last.namedChildren[0];
    return selector?.type === 'unconditional_assignable_selector' ? selector.namedChildren[0]?.text : undefined;
  }
  if (parts.length === 1 && last.type === 'navigation_expression') return last.childForFieldName('suffix')?.childForFieldName('suffix')?.text;
  if (parts.length === 1 && last.type === 'member_expression') return last.childForFieldName('property')?.text;
  return undefined;
}

const ASSIGNMENT_TYPES = new Set(['assignment_expression', 'assignment', 'augmented_assignment_expression']);
const CONSTANT_TYPES = [...DECLARATION_TYPES, ...ASSIGNMENT_TYPES];

/**
 * The same-file string constant `name`: declared with a string value, and not declared again
 * with another value nor assigned again. Found from the name's occurrences, not a walk of every
 * declaration: a comparison chain asks for a few names, and an edit must not walk the file.
 */
export function stringConstant(file: SourceFile, name: string): { value: string; node: Node } | undefined {
  return file.fact(`stringConstant ${name}`, () => {
    let constant: { value: string; node: Node } | undefined;
    for (const node of descendantsAround(file.root, file.text, CONSTANT_TYPES, [name])) {
      if (ASSIGNMENT_TYPES.has(node.type)) {
        // A name assigned again (`this.pinCode = value`, `pinCode += x`) holds what the code put
        // there last, not a pin: a field compared in a setter (`value == pinCode`) is no pin set.
        const target = node.childForFieldName('left') ?? node.childForFieldName('target');
        if (target?.text.split(/[^A-Za-z0-9_$]+/).filter(Boolean).at(-1) === name) return undefined;
        continue;
      }
      const declared = declaredString(node);
      if (declared?.name.text !== name) continue;
      const value = stringValue(declared.value);
      if (value === undefined) continue;
      if (constant && constant.value !== value) return undefined; // declared twice, with different values
      constant = { value, node: declared.value };
    }
    // An assignment the tree does not show as one (in code a parse error swallowed) is one all
    // the same: the text test that spares this look-up must never say no where it would say yes.
    return constant && textMayBeStringConstant(file, name) ? constant : undefined;
  });
}

/** The name and string value a declaration binds, when its value is a string literal. */
function declaredString(node: Node): { name: Node; value: Node } | undefined {
  let name: Node | null | undefined;
  let value: Node | null | undefined;
  switch (node.type) {
    case 'static_final_declaration':
    case 'initialized_variable_definition': {
      const named = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      name = node.childForFieldName('name') ?? named.find((c) => c.type === 'identifier');
      const values = node.childrenForFieldName('value');
      value = values.length === 1 ? values[0] : values.length === 0 && named.length === 2 ? named[1] : undefined;
      break;
    }
    case 'property_declaration':
      name = node.childForFieldName('name')?.childForFieldName('bound_identifier');
      value = node.childForFieldName('value');
      break;
    case 'variable_declarator':
    case 'public_field_definition':
      name = node.childForFieldName('name');
      value = node.childForFieldName('value');
      break;
  }
  return name && value && STRING_TYPES.has(value.type) ? { name, value } : undefined;
}

interface Binding {
  name?: string;
  /** Set when the collection is one host's entry of a map. */
  host?: string;
  mapName?: string;
}

/** Wrappers a pin list may sit in before reaching its name: `new Set([...])`, `Set([...])`, `as`, parentheses. */
const TRANSPARENT = new Set([
  'arguments', 'new_expression', 'value_argument', 'value_arguments', 'call_suffix', 'call_expression',
  'parenthesized_expression', 'as_expression', 'satisfies_expression', 'type_assertion', 'const_object_expression', 'argument',
]);

function bindingOf(node: Node): Binding {
  let child = node;
  for (const parent of ancestors(node)) {
    // A Swift argument's label names its value (`PinConfiguration(backupPins: [...])`), as a
    // Dart named argument does; an unlabelled one is no binding of its own.
    if (TRANSPARENT.has(parent.type) && !(parent.type === 'value_argument' && swiftArgumentLabel(parent))) {
      child = parent;
      continue;
    }
    // One entry of a map literal: the key names the entry; the map's own binding names the whole.
    const key = mapKeyOf(parent, child);
    if (key !== undefined) {
      const map = parent.type === 'pair' ? parent.parent : parent;
      const mapName = map ? bindingOf(map).name : undefined;
      return looksLikeHost(key) ? { host: key, name: key, mapName } : { name: key, mapName };
    }
    return { name: nameOfBindingParent(parent) };
  }
  return {};
}

function mapKeyOf(parent: Node, value: Node): string | undefined {
  let key: Node | null = null;
  if (parent.type === 'pair' && parent.childForFieldName('value')?.id === value.id) key = parent.childForFieldName('key');
  if (parent.type === 'dictionary_literal') {
    let previous = value.previousNamedSibling;
    while (previous && previous.type === 'comment') previous = previous.previousNamedSibling;
    key = previous;
  }
  if (!key) return undefined;
  if (STRING_TYPES.has(key.type)) return stringValue(key);
  return key.type === 'property_identifier' || key.type === 'identifier' ? key.text : undefined;
}

function nameOfBindingParent(parent: Node): string | undefined {
  switch (parent.type) {
    case 'static_final_declaration':
    // Dart `var a = ..., b = ...;` (and a declaration whose type error recovery lost: a fuzz case).
    case 'initialized_identifier':
      return parent.namedChildren.find((c) => c?.type === 'identifier')?.text;
    case 'initialized_variable_definition':
    case 'variable_declarator':
    case 'public_field_definition':
    case 'named_argument':
      return (parent.childForFieldName('name') ?? parent.namedChildren[0])?.text.replace(/:$/, '');
    case 'value_argument':
      return swiftArgumentLabel(parent);
    case 'property_declaration':
      return parent.childForFieldName('name')?.childForFieldName('bound_identifier')?.text;
    case 'assignment_expression': {
      const left = parent.childForFieldName('left');
      return left?.text.split(/[.\s]/).filter(Boolean).at(-1);
    }
    case 'function_body':
    case 'return_statement':
    case 'control_transfer_statement':
    case 'statements':
    case 'computed_property':
    case 'statement_block':
      return enclosingFunctionName(parent);
    default:
      return undefined;
  }
}

/** A getter or function that returns the list: `static Set<String> get pins => {...}`. */
function enclosingFunctionName(node: Node): string | undefined {
  for (const a of [node, ...ancestors(node)]) {
    // Dart keeps a function's signature beside its body; Swift's body is inside its declaration (below).
    if (a.type === 'function_body' && a.parent?.type !== 'function_declaration' && a.previousNamedSibling) {
      const signature = a.previousNamedSibling.type === 'method_signature' ? a.previousNamedSibling.namedChildren[0] : a.previousNamedSibling;
      return signature?.childForFieldName('name')?.text;
    }
    if (a.type === 'computed_property') return a.parent?.childForFieldName('name')?.childForFieldName('bound_identifier')?.text;
    if (['function_declaration', 'method_definition', 'function_expression', 'arrow_function', 'lambda_literal'].includes(a.type)) {
      return a.childForFieldName('name')?.text;
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ comparisons

const COMPARISON_TYPES = new Set(['equality_expression', 'logical_or_expression', 'disjunction_expression']);
/** What `pinSets` looks at: collections, comparisons, and the parentheses a comparison chain may hold. */
const PIN_SET_CANDIDATE_TYPES = [...COLLECTION_TYPES, ...COMPARISON_TYPES, 'binary_expression', 'parenthesized_expression'];

function isComparison(node: Node): boolean {
  if (COMPARISON_TYPES.has(node.type)) return true;
  if (node.type !== 'binary_expression') return false;
  const operator = node.childForFieldName('operator')?.text;
  return operator === '==' || operator === '===' || operator === '!=' || operator === '!==' || operator === '||';
}

/** `hash == kPin` is a set of one; `hash == a || hash == b` a set of two. */
function comparisonPinSet(file: SourceFile, top: Node): PinSet | undefined {
  const operands: Node[][] = [];
  // Operands left to right, nested comparisons expanded in place; a stack, since a chain of
  // thousands of `||` nests as deep.
  const stack: (Node | Node[])[] = [top];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (Array.isArray(item)) {
      operands.push(item);
    } else if (isComparison(item) || item.type === 'parenthesized_expression') {
      const groups = operandGroups(item);
      for (let i = groups.length - 1; i >= 0; i--) {
        const operand = groups[i];
        const nested = operand.length === 1 && (isComparison(operand[0]) || operand[0].type === 'parenthesized_expression');
        stack.push(nested ? operand[0] : operand);
      }
    }
  }
  // Without a pin-looking operand or a pin-named constant in sight, no operand needs a look-up:
  // most comparisons of a large file (`a == b`, `value != pinCode`) are no set.
  // (Not under `withWholeTreeWalks`: the tests hold this shortcut to the look-ups it spares.)
  if (!wholeTreeWalksOnly() && !operands.some((o) => mayLookLikePin(file, o) || mayBePinNamedConstant(file, referencedName(o)))) return undefined;
  const resolved = operands.map((o) => resolvePin(file, o)).filter((r): r is ResolvedPin => !!r);
  // A constant with a pin-set name that the comparison names (`h == kPinPrimary`) is a pin,
  // whatever its value, unless its name or value says it is something else (`uri.host ==
  // pinnedCertHost`, where `pinnedCertHost = 'api.example.com'`).
  const namedAsPin = (constant: string, value: string) => isPinSetName(constant) && !namesOtherThanPins(constant) && !NOT_A_PIN.test(value);
  const qualifies = ({ pin, constant }: ResolvedPin) => looksLikePin(pin.value) || (constant !== undefined && namedAsPin(constant, pin.value) && top.text.includes(constant));
  if (!resolved.some(qualifies)) return undefined;
  const pins = resolved.map((r) => r.pin);
  return {
    file: file.id,
    kind: 'comparison',
    range: file.rangeOf(top),
    pins,
    usesSha256Prefix: pins.some((p) => p.value.startsWith(SHA256_PREFIX)),
  };
}

/** Operands of a binary node: named children split at the operator (Dart keeps them flat). */
function operandGroups(node: Node): Node[][] {
  if (node.type === 'parenthesized_expression') return [node.namedChildren.filter((c): c is Node => !!c)];
  const groups: Node[][] = [[]];
  for (const child of node.children) {
    if (!child || child.type === 'comment') continue;
    if (!child.isNamed || /operator$/.test(child.type)) groups.push([]);
    else groups[groups.length - 1].push(child);
  }
  return groups.filter((g) => g.length > 0);
}
