/**
 * react-native-ssl-pinning (npm, MaxToyberman): its own `fetch(url, options)`, with pinning in
 * the options:
 *
 *     fetch(url, { method: 'GET', sslPinning: { certs: ['cert1', 'cert2'] } })
 *     fetch(url, { pkPinning: true, sslPinning: { certs: ['sha256/…=', 'sha256/…='] } })
 *     fetch(url, { disableAllSecurity: true })
 *
 * - `sslPinning.certs` names certificate files bundled with the app (`cert1` is `cert1.cer`),
 *   not pins: a pin set of certificate files, never checked as base64.
 * - With `pkPinning: true` the certs are OkHttp public-key pins (`sha256/` + base64 of the SPKI
 *   hash) on Android; iOS reads the public keys of the bundled certificates instead. When
 *   `pkPinning` is set but depends on run time (`Platform.OS === 'android'`), values that all
 *   start with `sha256/` are read as pins, anything else as file names.
 * - `disableAllSecurity: true` → no pinning and no certificate validation: any certificate.
 *
 * The host of a set is the one of the `fetch` URL, when it is a literal.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import type { PinFormat } from '../engine/workspace';
import { tsAssignedProperty, tsConstantValue, tsFoldBoolean, tsPropertyName } from '../facts/ts';
import { descendantsAround, stringValue } from '../facts/tree';
import { removeListElement, removeStatement } from '../fixes/text';
import type { LibraryModel, PinSetClaim, TrustOption } from './model';

const SSL_PINNING = 'sslPinning';
const DISABLE_ALL_SECURITY = 'disableAllSecurity';

export const reactNativeSslPinning: LibraryModel = {
  id: 'react-native-ssl-pinning',
  name: 'react-native-ssl-pinning',
  family: 'ts',
  triggers: [SSL_PINNING, DISABLE_ALL_SECURITY],
  effects: ['acceptsAnyCertificate'],
  trustOptions,
  pinSets,
};

/** The properties named `name` of the file's objects: `name: value`, shorthand `name`, `obj.name = value`. */
function properties(file: SourceFile, name: string): { site: Node; value: Node }[] {
  const found: { site: Node; value: Node }[] = [];
  for (const site of descendantsAround(file.root, file.text, ['pair', 'shorthand_property_identifier', 'assignment_expression'], [name])) {
    const isAssignment = site.type === 'assignment_expression';
    if ((isAssignment ? tsAssignedProperty(site) : tsPropertyName(site)) !== name) continue;
    const value = isAssignment ? site.childForFieldName('right') : site.type === 'pair' ? site.childForFieldName('value') : site;
    if (value) found.push({ site, value });
  }
  return found;
}

/** The literal a value is, through one same-file constant (`certs: CERTS`, `{ sslPinning }`). */
function literal(file: SourceFile, value: Node, type: string): Node | undefined {
  const resolved = value.type === 'identifier' || value.type === 'shorthand_property_identifier' ? tsConstantValue(file, value) : value;
  return resolved?.type === type ? resolved : undefined;
}

/** The value of `object`'s own property `name`. */
function member(object: Node, name: string): Node | undefined {
  for (const property of object.namedChildren) {
    if (!property || tsPropertyName(property) !== name) continue;
    return property.type === 'pair' ? property.childForFieldName('value') ?? undefined : property;
  }
  return undefined;
}

function pinSets(file: SourceFile): PinSetClaim[] {
  const claims: PinSetClaim[] = [];
  for (const { site, value } of properties(file, SSL_PINNING)) {
    const settings = literal(file, value, 'object');
    const certsValue = settings && member(settings, 'certs');
    const certs = certsValue && literal(file, certsValue, 'array');
    if (!certs) continue;
    const options = site.type === 'assignment_expression' ? undefined : site.parent;
    const host = options?.type === 'object' ? requestHost(file, options) : undefined;
    claims.push({
      node: certs,
      library: reactNativeSslPinning.id,
      host,
      name: host ? undefined : 'sslPinning.certs',
      format: certsFormat(file, options, certs),
    });
  }
  return claims;
}

function certsFormat(file: SourceFile, options: Node | undefined | null, certs: Node): PinFormat {
  const pkPinning = options?.type === 'object' ? member(options, 'pkPinning') : undefined;
  if (!pkPinning) return { kind: 'certificate-file' };
  const enabled = tsFoldBoolean(file, pkPinning);
  if (enabled === true) return { kind: 'spki-sha256' };
  const values = certs.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map((c) => (c.type === 'string' ? stringValue(c) : undefined));
  const allPins = enabled === undefined && values.length > 0 && values.every((v) => v?.startsWith('sha256/'));
  return allPins ? { kind: 'spki-sha256' } : { kind: 'certificate-file' };
}

/** The host of `fetch('https://host/…', options)` when the URL is a literal (or a same-file constant). */
function requestHost(file: SourceFile, options: Node): string | undefined {
  const args = options.parent;
  if (args?.type !== 'arguments' || args.parent?.type !== 'call_expression') return undefined;
  const first = args.namedChildren.find((c) => c?.type !== 'comment');
  if (!first || first.id === options.id) return undefined;
  const url = first.type === 'identifier' ? tsConstantValue(file, first) : first;
  const text = url?.type === 'string' ? stringValue(url) : url?.type === 'template_string' ? url.text.slice(1) : undefined;
  return text?.match(/^https:\/\/([a-z0-9.-]+\.[a-z]{2,})(?=[/:?#]|$)/i)?.[1]?.toLowerCase();
}

function trustOptions(file: SourceFile): TrustOption[] {
  return properties(file, DISABLE_ALL_SECURITY).flatMap(({ site, value }): TrustOption[] => {
    if (tsFoldBoolean(file, value) !== true) return [];
    return [{
      effect: 'acceptsAnyCertificate',
      library: reactNativeSslPinning.id,
      node: site,
      message: 'disableAllSecurity: true makes react-native-ssl-pinning skip pinning and certificate validation: any certificate, so any man-in-the-middle, is accepted.',
      fix: removeProperty(file, site),
    }];
  });
}

function removeProperty(file: SourceFile, site: Node): TrustOption['fix'] {
  const edit = site.type === 'assignment_expression'
    ? site.parent?.type === 'expression_statement' ? removeStatement(file.text, site.parent) : undefined
    : site.parent?.type === 'object' ? removeListElement(file.text, site) : undefined;
  return edit && { title: 'Remove disableAllSecurity: true (certificates are validated again)', edits: [edit] };
}
