/**
 * raw-public-key-hash: hash the key's SubjectPublicKeyInfo — the ASN.1 header chosen by the key's
 * type and size, then the key — through an inserted `subjectPublicKeyInfo(of:)` helper.
 */
import type { Node } from 'web-tree-sitter';
import { swiftBindings, swiftDigest, swiftScope } from '../facts/digests';
import { swiftArguments, swiftArgumentValue, swiftCalleeName } from '../facts/swift';
import { ancestors, contains, descendants } from '../facts/tree';
import type { DraftFix, FixContext } from './context';
import { SWIFT_SPKI_HELPER, swiftSpkiHelperEdit } from './spki-helpers';
import type { OffsetEdit } from './types';

export function rawPublicKeyHashFixes(context: FixContext): DraftFix[] {
  const call = context.findingNode(['call_expression']);
  const digest = call && swiftDigest(call);
  // CryptoKit's `SHA256.hash(data: …)`: its `data:` argument is replaced. CommonCrypto's pointer plumbing is left alone.
  if (!digest?.data || digest.name.startsWith('CC_')) return [];
  const key = exportedKey(call!);
  if (!key) return [];
  const helper = swiftSpkiHelperEdit(context, false);
  const edits: OffsetEdit[] = [{ start: digest.data.startIndex, end: digest.data.endIndex, text: `${SWIFT_SPKI_HELPER}(of: ${key})` }];
  if (helper) edits.push(helper);
  return [{
    title: `Hash the key's SubjectPublicKeyInfo: ${SWIFT_SPKI_HELPER}(of: ${key}) prepends the ASN.1 header for its type and size`,
    preferred: true,
    edits,
  }];
}

/**
 * The SecKey whose SecKeyCopyExternalRepresentation the digest hashes: the one export in the
 * digest's function, of a plain name that is still in scope at the digest.
 */
function exportedKey(digest: Node): string | undefined {
  const scope = swiftScope(digest);
  const exports = descendants(scope, 'call_expression').filter((c) => swiftCalleeName(c) === 'SecKeyCopyExternalRepresentation' && c.namedChildren[0]?.type === 'simple_identifier');
  if (exports.length !== 1) return undefined;
  const [exported] = exports;
  const key = swiftArguments(exported).map(swiftArgumentValue)[0];
  if (key?.type !== 'simple_identifier' || exported.startIndex > digest.startIndex) return undefined;
  // Where the name was bound: `if let` scopes it to its body, `let`/`guard let` to the enclosing block;
  // a parameter (no binding here) to the whole function.
  const binding = swiftBindings(scope).filter((b) => b.name === key.text && b.site.startIndex < exported.startIndex).at(-1);
  if (!binding) return key.text;
  const visibleIn = binding.site.type === 'if_statement' || binding.site.type === 'while_statement'
    ? binding.site
    : [...ancestors(binding.site)].find((a) => a.type === 'statements' || a.type === 'function_body');
  return visibleIn && contains(visibleIn, digest) ? key.text : undefined;
}
