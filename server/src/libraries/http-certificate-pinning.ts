/**
 * http_certificate_pinning (Dart, pub.dev), its `_plus` fork, and ssl_pinning_plugin, which it
 * was forked from and whose `check` takes the same arguments: the native side (OkHttp on
 * Android, Alamofire on iOS) fetches the server's certificate and compares the hex SHA of the
 * WHOLE certificate with a list of fingerprints (`AB CD …` or `AB:CD:…`):
 *
 *     HttpCertificatePinning.check(serverURL: url, headerHttp: {}, sha: SHA.SHA256, allowedSHAFingerprints: [...], timeout: 50)
 *     SslPinningPlugin.check(serverURL: url, httpMethod: HttpMethod.Get, sha: SHA.SHA1, allowedSHAFingerprints: [...], timeout: 50)
 *     CertificatePinningInterceptor(allowedSHAFingerprints: [...])   // a Dio interceptor; 1.x took the list positionally
 *     SecureHttpClient.build([...])                                  // a package:http client
 *
 * - The list (written in the argument, or a same-file variable or constant it names) is a pin
 *   set of certificate fingerprints: 32 bytes for `SHA.SHA256`, 20 for `SHA.SHA1`. The
 *   interceptor and `SecureHttpClient.build` check with SHA-256 (the `_plus` fork's `build`
 *   takes `sha:`, SHA-256 by default); a `sha:` we cannot read leaves the length open.
 * - Each call pins whole certificates → full-certificate-hash (the package has no SPKI mode).
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { filledLater } from '../facts/names';
import { ancestors, descendants, descendantsAround } from '../facts/tree';
import type { LibraryModel, PinSetClaim, TrustOption } from './model';

const CHECK = 'HttpCertificatePinning';
/** ssl_pinning_plugin's class: its `check` is the one above. */
const PLUGIN_CHECK = 'SslPinningPlugin';
const INTERCEPTOR = 'CertificatePinningInterceptor';
const CLIENT = 'SecureHttpClient';
const FINGERPRINTS = 'allowedSHAFingerprints';

export const httpCertificatePinning: LibraryModel = {
  id: 'http-certificate-pinning',
  name: 'http_certificate_pinning, ssl_pinning_plugin',
  family: 'dart',
  triggers: [CHECK, PLUGIN_CHECK, INTERCEPTOR, `${CLIENT}.build`],
  effects: ['pinsWholeCertificate'],
  trustOptions,
  pinSets,
};

/** One call of the package: what it is called, its arguments, its fingerprint list and digest size. */
interface PinningCall {
  name: string;
  /** The package, as the messages name it. */
  packageName: string;
  callee: Node;
  list?: Node;
  bytes?: 20 | 32;
}

function pinningCalls(file: SourceFile): PinningCall[] {
  return file.fact('httpCertificatePinning.calls', () => {
    // An app's own `class SecureHttpClient` is not the package's (asked only where the name is used:
    // a search of the whole text was 2 % of an edit of a large Dart file).
    let ownClient: boolean | undefined;
    const isOwnClient = () => (ownClient ??= new RegExp(`\\bclass\\s+${CLIENT}\\b`).test(file.text));
    const calls: PinningCall[] = [];
    for (const id of descendantsAround(file.root, file.text, ['identifier'], [CHECK, PLUGIN_CHECK, INTERCEPTOR, CLIENT])) {
      const isCheck = id.text === CHECK || id.text === PLUGIN_CHECK;
      const method = isCheck ? 'check' : id.text === CLIENT && !isOwnClient() ? 'build' : id.text === INTERCEPTOR ? '' : undefined;
      if (method === undefined) continue;
      const args = argumentsAfter(id, method);
      if (!args) continue;
      const list = named(args, FINGERPRINTS) ?? (isCheck ? undefined : positional(args));
      const sha = named(args, 'sha');
      // check() has no default algorithm worth guessing; the other two check with SHA-256.
      const bytes = sha ? digestBytes(sha) : isCheck ? undefined : 32;
      const packageName = id.text === PLUGIN_CHECK ? 'ssl_pinning_plugin' : 'http_certificate_pinning';
      calls.push({ name: method ? `${id.text}.${method}` : id.text, packageName, callee: id, list: list && listLiteral(file, list), bytes });
    }
    return calls;
  });
}

/** `Name.method(…)` / `Name(…)` (method ''): the `arguments` of the call. */
function argumentsAfter(id: Node, method: string): Node | undefined {
  let next = id.nextNamedSibling;
  if (method) {
    const selector = next?.type === 'selector' ? next.namedChildren[0] : undefined;
    if (selector?.type !== 'unconditional_assignable_selector' || selector.namedChildren[0]?.text !== method) return undefined;
    next = next!.nextNamedSibling;
  }
  const part = next?.type === 'selector' ? next.namedChildren[0] : undefined;
  return part?.type === 'argument_part' ? part.namedChildren.find((c): c is Node => c?.type === 'arguments') : undefined;
}

/** The value nodes of the `name:` argument. */
function named(args: Node, name: string): Node[] | undefined {
  for (const argument of args.namedChildren) {
    if (argument?.type !== 'named_argument') continue;
    const [label, ...value] = argument.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (label?.type === 'label' && label.text.replace(/\s*:$/, '') === name) return value;
  }
  return undefined;
}

function positional(args: Node): Node[] | undefined {
  const first = args.namedChildren.find((c): c is Node => c?.type === 'argument');
  return first?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

/** `SHA.SHA256` → 32, `SHA.SHA1` → 20; anything else (a variable) → unknown. */
function digestBytes(value: Node[]): 20 | 32 | undefined {
  const text = value.map((v) => v.text).join('').replace(/\s+/g, '');
  if (/^SHA\.SHA256$/.test(text)) return 32;
  if (/^SHA\.SHA1$/.test(text)) return 20;
  return undefined;
}

/** The list literal written in the argument, or held by the same-file variable or constant it names. */
function listLiteral(file: SourceFile, value: Node[]): Node | undefined {
  if (value.length !== 1) return undefined;
  const [node] = value;
  if (node.type === 'list_literal') return node;
  // A list the file adds to (`_fingerprints.addAll(fromEnv)`, in any method) holds pins we cannot see.
  if (node.type !== 'identifier' || filledLater(file.text, node.text)) return undefined;
  return declaredList(file, node);
}

/** The list a visible declaration of `name` holds: the nearest one before the use, in the use's scopes. */
function declaredList(file: SourceFile, use: Node): Node | undefined {
  const scopes = [...ancestors(use)].filter((a) => a.type === 'block' || a.type === 'class_body' || a.type === 'program');
  for (let i = scopes.length - 1; i >= 0; i--) {
    for (const declaration of descendants(scopes[i], ['initialized_variable_definition', 'static_final_declaration', 'initialized_identifier'])) {
      const name = declaration.childForFieldName('name') ?? declaration.namedChildren.find((c) => c?.type === 'identifier');
      if (name?.text !== use.text) continue;
      // A declaration inside another function of the scope is not this name.
      if (!sameFunction(declaration, scopes[i])) continue;
      const value = declaration.namedChildren.filter((c): c is Node => !!c && c.id !== name.id && c.type !== 'comment');
      const list = value.at(-1);
      if (list?.type === 'list_literal' && value.filter((v) => v.type !== 'final_builtin' && v.type !== 'const_builtin' && !/type/.test(v.type)).length === 1) return list;
    }
  }
  return undefined;
}

function sameFunction(declaration: Node, scope: Node): boolean {
  for (const a of ancestors(declaration)) {
    if (a.id === scope.id) return true;
    if (a.type === 'function_body' || a.type === 'function_expression_body') return false;
  }
  return true;
}

function pinSets(file: SourceFile): PinSetClaim[] {
  const claims: PinSetClaim[] = [];
  for (const call of pinningCalls(file)) {
    if (!call.list || claims.some((c) => c.node.id === call.list!.id && c.format.kind === 'certificate-fingerprint' && c.format.bytes === call.bytes)) continue;
    claims.push({
      node: call.list,
      library: httpCertificatePinning.id,
      name: FINGERPRINTS,
      format: { kind: 'certificate-fingerprint', bytes: call.bytes },
      singlePinNote: `${call.name} rejects the server as soon as its certificate no longer matches one of the fingerprints.`,
    });
  }
  return claims;
}

function trustOptions(file: SourceFile): TrustOption[] {
  return pinningCalls(file).map((call): TrustOption => ({
    effect: 'pinsWholeCertificate',
    library: httpCertificatePinning.id,
    node: call.callee,
    level: 'warning',
    message: `${call.name} compares fingerprints of the whole certificate (${call.packageName} supports no other kind of pin): the fingerprint changes at every renewal, and from then on every request of this app version fails. Put the renewed certificate's fingerprint in the list before each renewal, or move to SPKI pinning (badCertificateCallback on a root-less SecurityContext, or a plugin that pins public keys).`,
  }));
}
