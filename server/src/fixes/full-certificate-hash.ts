/**
 * full-certificate-hash: hash the SubjectPublicKeyInfo instead of the whole certificate. The
 * pins compared with the hash must then be SPKI pins; every title says so.
 */
import type { Node } from 'web-tree-sitter';
import { dartDigestInputs, dartParts, dartRunBefore, dartSelectorName, tsClimbTransparent } from '../facts/digests';
import { swiftArgumentLabel, swiftArguments, swiftCalleeName } from '../facts/swift';
import { ancestors, descendants, descendantsAround } from '../facts/tree';
import type { DraftFix, FixContext } from './context';
import { dartImports, tsModuleMember } from './imports';
import { DART_SPKI_HELPER, dartSpkiHelperEdit, SWIFT_SPKI_HELPER, swiftSpkiHelperEdit } from './spki-helpers';
import { mergeInsertions } from './text';
import type { OffsetEdit } from './types';

const THEN_SPKI_PINS = 'the pins must then be SPKI pins';

export function fullCertificateHashFixes(context: FixContext): DraftFix[] {
  switch (context.file.family) {
    case 'dart':
      return dartFixes(context);
    case 'swift':
      return swiftFixes(context);
    default:
      return tsFixes(context);
  }
}

// ---------------------------------------------------------------- Dart

function dartFixes(context: FixContext): DraftFix[] {
  const replacement = dartReplacement(context);
  if (!replacement) return [];
  const imports = dartImports(context, [
    { uri: 'dart:typed_data', member: 'Uint8List' },
    { uri: 'package:asn1lib/asn1lib.dart', member: 'ASN1Parser' },
    ...(replacement.needsCrypto ? [{ uri: 'package:crypto/crypto.dart', member: 'sha256' }] : []),
  ]);
  if (!imports) return [];
  const helper = dartSpkiHelperEdit(context);
  const edits = [replacement.edit, ...imports, ...(helper ? [helper] : [])];
  return [{
    title: `Hash the SubjectPublicKeyInfo instead (${DART_SPKI_HELPER}, with package:asn1lib) — ${THEN_SPKI_PINS}`,
    preferred: true,
    edits: mergeInsertions(edits),
  }];
}

/** The edit that makes the hashed bytes the SPKI: `sha256.convert(x.der)` → `sha256.convert(_subjectPublicKeyInfo(x.der))`. */
function dartReplacement(context: FixContext): { edit: OffsetEdit; needsCrypto: boolean } | undefined {
  const node = context.findingNode(['argument', 'selector']);
  if (!node) return undefined;
  // The hashed argument, or a certificate inside it (`Uint8List.fromList(x.der)`, `utf8.encode(x.pem)`).
  const digest = dartDigestInputs(context.file).find((d) => d.input.startIndex <= node.startIndex && node.endIndex <= d.input.endIndex);
  if (digest && node.type === 'argument') {
    if (node.text.includes('?')) return undefined; // nullable bytes: the helper takes a Uint8List
    const parts = dartParts(node);
    const last = dartSelectorName(parts.at(-1));
    if ((last === 'der' && parts.length >= 2) || (parts.length === 1 && parts[0].type === 'identifier' && dartLocalHoldsDer(node, parts[0].text))) {
      return { edit: { start: node.startIndex, end: node.endIndex, text: `${DART_SPKI_HELPER}(${node.text})` }, needsCrypto: false };
    }
    // PEM text: the same certificate's DER replaces the whole hashed value.
    const pem = [...parts, ...descendants(node, 'selector')].find((s) => dartSelectorName(s) === 'pem');
    const run = pem ? dartRunBefore(pem) : [];
    if (run.length === 0) return undefined;
    const receiver = context.text.slice(run[0].startIndex, run.at(-1)!.endIndex);
    return { edit: { start: digest.input.startIndex, end: digest.input.endIndex, text: `${DART_SPKI_HELPER}(${receiver}.der)` }, needsCrypto: false };
  }
  // `cert.sha1`: the certificate's SHA-1; the SPKI's SHA-256 as the same Uint8List type instead.
  const selector = node.type === 'selector' ? node : dartParts(node).at(-1);
  if (!selector || dartSelectorName(selector) !== 'sha1') return undefined;
  const run = dartRunBefore(selector);
  if (run.length === 0) return undefined;
  const receiver = context.text.slice(run[0].startIndex, run.at(-1)!.endIndex);
  if (receiver.includes('?')) return undefined;
  return {
    edit: { start: run[0].startIndex, end: selector.endIndex, text: `Uint8List.fromList(sha256.convert(${DART_SPKI_HELPER}(${receiver}.der)).bytes)` },
    needsCrypto: true,
  };
}

/** Whether the one same-function `final name = …` declaration holds `x.der`. */
function dartLocalHoldsDer(from: Node, name: string): boolean {
  for (const a of ancestors(from)) {
    if (a.type !== 'function_body' && a.type !== 'function_expression_body') continue;
    const definitions = descendants(a, 'initialized_variable_definition').filter((d) => d.childForFieldName('name')?.text === name);
    const values = definitions.length === 1 ? definitions[0].childrenForFieldName('value').filter((v): v is Node => !!v) : [];
    return values.length >= 2 && dartSelectorName(values.at(-1)) === 'der' && !values.some((v) => v.text.includes('?'));
  }
  return false;
}

// ---------------------------------------------------------------- Swift

function swiftFixes(context: FixContext): DraftFix[] {
  const call = context.findingNode(['call_expression']);
  if (!call || swiftCalleeName(call) !== 'SecCertificateCopyData') return [];
  const callee = call.namedChildren[0];
  const args = swiftArguments(call);
  if (callee?.type !== 'simple_identifier' || args.length !== 1 || swiftArgumentLabel(args[0]) !== undefined) return [];
  const helper = swiftSpkiHelperEdit(context, true);
  const edits: OffsetEdit[] = [{ start: callee.startIndex, end: args[0].startIndex, text: `${SWIFT_SPKI_HELPER}(of: ` }];
  if (helper) edits.push(helper);
  return [{
    title: `Hash the SubjectPublicKeyInfo instead (${SWIFT_SPKI_HELPER}(of:): the ASN.1 header for the key's type and size, then the key) — ${THEN_SPKI_PINS}`,
    preferred: true,
    edits,
  }];
}

// ---------------------------------------------------------------- TS / JS

const FINGERPRINTS = new Set(['fingerprint', 'fingerprint256', 'fingerprint512']);
const TRANSPARENT_STRING_METHODS = new Set(['replace', 'replaceAll', 'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'toString', 'normalize']);

function tsFixes(context: FixContext): DraftFix[] {
  const member = context.findingNode(['member_expression', 'subscript_expression']);
  if (!member) return []; // a destructured `{ fingerprint256 }` would need its uses renamed: no fix
  const object = member.childForFieldName('object');
  const name = member.type === 'member_expression'
    ? member.childForFieldName('property')?.text
    : member.childForFieldName('index')?.text.replace(/^['"`]|['"`]$/g, '');
  if (!object || !name || /\?\./.test(member.text)) return [];
  const spki = tsSpkiExpression(context, object);
  if (name === 'raw') {
    // Hashed: hash the SPKI with the same digest. Compared as bytes (`.equals`): the pin is a certificate, no fix.
    const parent = tsClimbTransparent(member).parent;
    if (parent?.type === 'member_expression' || (parent?.type === 'arguments' && /equals|compare/.test(parent.parent?.childForFieldName('function')?.text ?? ''))) return [];
    return [{
      title: `Hash the SubjectPublicKeyInfo (${spki}) instead of the whole certificate — ${THEN_SPKI_PINS}`,
      preferred: true,
      edits: [{ start: member.startIndex, end: member.endIndex, text: spki }],
    }];
  }
  if (!FINGERPRINTS.has(name)) return [];
  const createHash = tsModuleMember(context, 'crypto', 'createHash', 'named');
  if (!createHash) return [];
  const replaced = climbStringMethods(member);
  const hash = `${createHash.expression}('sha256').update(${spki}).digest('base64')`;
  const edits: OffsetEdit[] = [{ start: replaced.startIndex, end: replaced.endIndex, text: hash }];
  if (createHash.edit) edits.push(createHash.edit);
  return [{ title: `Hash the SubjectPublicKeyInfo instead of ${name}: ${hash} — ${THEN_SPKI_PINS} (base64 SHA-256)`, preferred: true, edits }];
}

/** `cert.pubkey` for a tls peer certificate, the exported SPKI for a crypto.X509Certificate. */
function tsSpkiExpression(context: FixContext, object: Node): string {
  const text = object.text;
  return isX509Certificate(context, object) ? `${text}.publicKey.export({ type: 'spki', format: 'der' })` : `${text}.pubkey`;
}

function isX509Certificate(context: FixContext, object: Node): boolean {
  if (object.type === 'new_expression') return /X509Certificate/.test(object.childForFieldName('constructor')?.text ?? '');
  if (object.type !== 'identifier') return false;
  const declarations = descendantsAround(context.file.root, context.file.text, ['variable_declarator', 'required_parameter', 'optional_parameter'], [object.text]);
  return declarations.some((d) => {
    const name = d.childForFieldName('name') ?? d.childForFieldName('pattern');
    if (name?.text !== object.text) return false;
    const type = d.childForFieldName('type')?.text ?? '';
    const value = d.type === 'variable_declarator' ? d.childForFieldName('value')?.text ?? '' : '';
    return /\bX509Certificate\b/.test(type) || /\bnew\s+(\w+\.)?X509Certificate\b/.test(value);
  });
}

/** `cert.fingerprint256.replace(/:/g, '').toLowerCase()`: the whole chain is the fingerprint in another spelling. */
function climbStringMethods(node: Node): Node {
  let n = node;
  for (;;) {
    const member = n.parent;
    const call = member?.parent;
    if (member?.type !== 'member_expression' || member.childForFieldName('object')?.id !== n.id) return n;
    if (!TRANSPARENT_STRING_METHODS.has(member.childForFieldName('property')?.text ?? '')) return n;
    if (call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== member.id) return n;
    n = call;
  }
}
