/**
 * URLSession and WebKit challenge handlers (Foundation, hand-written): the server-trust challenge
 * answered with the server's own trust before anything evaluated it.
 *
 * - `completionHandler(.useCredential, URLCredential(trust: …))` in
 *   `urlSession(_:didReceive:completionHandler:)`, its task form `urlSession(_:task:didReceive:completionHandler:)`,
 *   `WKNavigationDelegate.webView(_:didReceive:completionHandler:)`, Alamofire 4's `SessionDelegate`
 *   closures (`sessionDidReceiveChallenge`, `taskDidReceiveChallenge`);
 * - `return (.useCredential, URLCredential(trust: …))` in the `async` forms and those closures;
 * - `challenge.sender?.use(URLCredential(trust: …), for: challenge)` (NSURLConnection, URLProtocol);
 * - the credential built first in a local constant, `serverTrust.map(URLCredential.init(trust:))`,
 *   the qualified `URLSession.AuthChallengeDisposition.useCredential`, Swift 2's `.UseCredential`
 *   and `NSURLCredential(forTrust:)`.
 *
 * A trust evaluation or pin comparison earlier in the same function is a decision: no finding
 * (whether it decides well is other rules' business). So is a comparison of the server's
 * certificate or key bytes (`SecCertificateCopyData`) with a bundled one.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftCalleeName, swiftEnclosingFunction, swiftLocalValue } from '../facts/swift';
import { ancestors, childOnPath, contains, descendants, descendantsAround } from '../facts/tree';
import type { LibraryModel, TrustOption } from './model';

const EVALUATION = /^(SecTrustEvaluate|SecTrustEvaluateWithError|SecTrustEvaluateAsyncWithError)$/;
/** Calls that decide trust by a pin or a custom evaluation, before answering the challenge. */
const DECIDING_CALL = /(pin|spki|fingerprint|evaluat|validat|verif)/i;
const PIN_WORDS = /(pin|hash|spki|fingerprint|digest)/i;

/**
 * Every finding below holds one of these words: only the calls and tuples around them are looked
 * at. `UseCredential` and `NSURLCredential(forTrust:)` are the Swift 2 spellings; the sender form
 * (`challenge.sender?.use(URLCredential(trust: t), for: challenge)`) names only the credential.
 */
const WORDS = ['useCredential', 'UseCredential', 'URLCredential(trust'];

const ANSWERED_BLINDLY = 'The challenge is answered with .useCredential for the server trust without evaluating it: any certificate is accepted.';

export const urlsession: LibraryModel = {
  id: 'urlsession',
  name: 'URLSession and WebKit challenge handlers',
  family: 'swift',
  triggers: WORDS,
  effects: ['acceptsAnyCertificate'],
  trustOptions,
};

function trustOptions(file: SourceFile): TrustOption[] {
  const options: TrustOption[] = [];
  // No model fix: fixes/trust-all-certificates.ts answers .performDefaultHandling, or keeps the
  // code for debug builds only.
  const blind = (node: Node, message: string) => options.push({ effect: 'acceptsAnyCertificate', library: urlsession.id, node, message });
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], WORDS)) {
    const values = swiftArguments(call).map(swiftArgumentValue);
    if (isUseCredentialWithTrust(values) && !evaluatedBefore(call)) {
      blind(call, ANSWERED_BLINDLY);
    } else if (isSenderUseCredential(call) && !evaluatedBefore(call)) {
      // URLAuthenticationChallengeSender (NSURLConnection, URLProtocol): no completion to rewrite.
      blind(call, 'The challenge\'s sender is handed a credential for the server trust without evaluating it: any certificate is accepted.');
    }
  }
  // `return (.useCredential, URLCredential(trust: …))` in the async delegate method.
  for (const tuple of descendantsAround(file.root, file.text, ['tuple_expression'], WORDS)) {
    const values = tuple.namedChildren.map((c) => c?.childForFieldName('value') ?? c ?? undefined);
    if (isUseCredentialWithTrust(values) && !evaluatedBefore(tuple)) {
      blind(tuple, ANSWERED_BLINDLY);
    }
  }
  return options;
}

/** `.useCredential`, `.UseCredential`, `URLSession.AuthChallengeDisposition.useCredential`. */
function isUseCredentialDisposition(node: Node | undefined): boolean {
  if (node?.type !== 'prefix_expression' && node?.type !== 'navigation_expression') return false;
  return /(^|\.)[uU]seCredential$/.test(node.text.replace(/\s/g, ''));
}

function isUseCredentialWithTrust(values: (Node | undefined)[]): boolean {
  const [disposition, credential] = values;
  return isUseCredentialDisposition(disposition) && !!credential && isTrustCredential(credential);
}

/** `URLCredential(trust: t)`, `NSURLCredential(forTrust: t)`, or a local constant holding one. */
function isTrustCredential(node: Node): boolean {
  if (node.type === 'simple_identifier') {
    const value = swiftLocalValue(node);
    return !!value && isTrustCredential(value);
  }
  if (node.type !== 'call_expression') return false;
  const callee = node.namedChildren[0]?.text.replace(/\s/g, '') ?? '';
  // `serverTrust.map(URLCredential.init(trust:))`: the initialiser applied to the optional trust.
  if (swiftCalleeName(node) === 'map') {
    const args = swiftArguments(node);
    return args.length === 1 && /^(NS)?URLCredential(\.init)?\((trust|forTrust):\)$/.test(args[0].text.replace(/\s/g, ''));
  }
  if (!/^(NS)?URLCredential(\.init)?$/.test(callee)) return false;
  return swiftArguments(node).some((a) => /^(trust|forTrust)$/.test(swiftArgumentLabel(a) ?? ''));
}

/** `challenge.sender?.use(credential, for: challenge)`, Swift 2's `useCredential(_:forAuthenticationChallenge:)`. */
function isSenderUseCredential(call: Node): boolean {
  const name = swiftCalleeName(call);
  if (name !== 'use' && name !== 'useCredential') return false;
  const args = swiftArguments(call);
  const challenge = swiftArgumentLabel(args[1] ?? call);
  const credential = args[0] && swiftArgumentValue(args[0]);
  return args.length === 2 && (challenge === 'for' || challenge === 'forAuthenticationChallenge') && !!credential && isTrustCredential(credential);
}

/**
 * A trust evaluation or pin comparison earlier in the same function, on the way to `site`: not
 * in another branch of an `if` or `switch` it shares with the site (a public delegate evaluates
 * when a pin is set, and `else` answers `.useCredential` for any server).
 */
function evaluatedBefore(site: Node): boolean {
  // The site's function, then those around it: `func accept() { completionHandler(.useCredential, ...) }`
  // declared inside the closure that `SecTrustEvaluateAsyncWithError` calls with its verdict (a
  // public COVID app's delegate) is on the way from that evaluation.
  let fn = swiftEnclosingFunction(site);
  for (let level = 0; fn && level < MAX_ENCLOSING_FUNCTIONS; level++, fn = fn.parent ? swiftEnclosingFunction(fn.parent) : undefined) {
    if (evaluatedBeforeIn(fn, site)) return true;
  }
  return false;
}

/** Enclosing functions and closures `evaluatedBefore` looks in, nearest first. */
const MAX_ENCLOSING_FUNCTIONS = 4;

function evaluatedBeforeIn(fn: Node, site: Node): boolean {
  const earlier = (n: Node) => n.startIndex < site.startIndex;
  // Last, as the dearest test: a fuzz case's thousands of nested calls each climbing to the root took 44 s.
  let branchPoints: Node[] | undefined;
  const onTheWay = (n: Node) => !inOtherBranch(n, site, (branchPoints ??= [...ancestors(site)].filter((a) => BRANCH_POINTS.has(a.type))));
  const decidingCall = descendants(fn, 'call_expression').some((c) => {
    if (!earlier(c)) return false;
    const name = swiftCalleeName(c) ?? '';
    return (EVALUATION.test(name) || DECIDING_CALL.test(name) || name === 'contains') && onTheWay(c);
  });
  return decidingCall || descendants(fn, 'equality_expression').some((e) => earlier(e) && (PIN_WORDS.test(e.text) || e.namedChildren.some(isCertificateBytes)) && onTheWay(e));
}

const BRANCH_POINTS = new Set(['if_statement', 'switch_statement']);
/** The children of an `if` that are its branches (its conditions are not), and of a `switch`. */
const BRANCH_TYPES = new Set(['statements', 'if_statement', 'switch_entry']);

/**
 * Whether `node` and `site` lie in different branches of the innermost `if`/`else` or `switch`
 * that holds both: of `branchPoints`, the site's enclosing ones, nearest first.
 */
function inOtherBranch(node: Node, site: Node, branchPoints: readonly Node[]): boolean {
  const common = branchPoints.find((b) => contains(b, node));
  if (!common) return false;
  const [one, other] = [childOnPath(common, node), childOnPath(common, site)];
  return !!one && !!other && one.id !== other.id && BRANCH_TYPES.has(one.type) && BRANCH_TYPES.has(other.type);
}

/** Calls whose result is the server's certificate or key, as bytes or as a key. */
const CERTIFICATE_BYTES = /\b(SecCertificateCopyData|SecCertificateCopyKey|SecTrustCopyKey|SecTrustCopyPublicKey|SecKeyCopyExternalRepresentation)\b/;

/**
 * An operand holding the server's certificate or key (`SecCertificateCopyData(cert) as Data`,
 * or a local constant set to it): compared with a bundled certificate, as a public app pins
 * `serverCertData == localCertData`, it decides the challenge.
 */
function isCertificateBytes(operand: Node | null): boolean {
  if (!operand) return false;
  if (CERTIFICATE_BYTES.test(operand.text)) return true;
  if (operand.type !== 'simple_identifier') return false;
  const value = swiftLocalValue(operand);
  return !!value && CERTIFICATE_BYTES.test(value.text);
}
