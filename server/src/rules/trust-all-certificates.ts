import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../engine/rule';
import {
  dartArgumentListHolding, dartCallbackBindings, dartEnclosingClass, dartEnclosingFunctionName,
  dartFunction, dartNamedArgumentValue, type DartCallbackBinding,
} from '../facts/dart';
import { returnValues, usesName, type FunctionShape } from '../facts/functions';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftCalleeName, swiftEnclosingFunction } from '../facts/swift';
import { descendants, descendantsAround, stringValue } from '../facts/tree';
import { reportTrustOptions, withLibraryTriggers } from '../libraries';
import { tsAssignedProperty, tsFoldBoolean, tsFunction, tsIdentityCheckIsNoOp, tsPropertyName } from '../facts/ts';

export const trustAllCertificates = defineRule(
  {
    id: 'trust-all-certificates',
    level: 'error',
    families: ['dart', 'swift', 'ts'],
    description: 'Code accepts any TLS certificate, or skips hostname verification, unconditionally.',
    // The hand-written shapes; the library models add their own words (Alamofire's evaluators…).
    triggers: withLibraryTriggers(['badCertificateCallback', 'onBadCertificate', 'useCredential', 'URLCredential(trust', 'rejectUnauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED', 'checkServerIdentity'], 'acceptsAnyCertificate'),
    relaxedInDebugCode: true,
  },
  {
    dart: (c) => { checkDart(c); reportTrustOptions(c, 'acceptsAnyCertificate'); },
    swift: (c) => { checkSwift(c); reportTrustOptions(c, 'acceptsAnyCertificate'); },
    ts: (c) => { checkTs(c); reportTrustOptions(c, 'acceptsAnyCertificate'); },
  },
);

// ---------------------------------------------------------------- Dart

function checkDart(context: RuleContext): void {
  const { file } = context;
  for (const binding of dartCallbackBindings(file)) {
    if (binding.name === 'validateCertificate') continue;
    const fn = dartFunction(file, binding.value);
    if (!fn) continue;
    const verdict = dartAcceptsAnyCertificate(fn);
    if (!verdict || isDioDocumentedPattern(context, binding)) continue;
    const global = inHttpOverrides(binding.site) ? ' Set in HttpOverrides.createHttpClient, it applies to every HttpClient of the app.' : '';
    const message = verdict === 'always'
      ? `${binding.name} returns true for every certificate: any man-in-the-middle is trusted.${global}`
      : `${binding.name} never looks at the certificate: it accepts any certificate for the connections it lets through.${global}`;
    context.report(binding.site, message, { data: { fix: 'dart.removeCallback', name: binding.name } });
  }
}

/** 'always': every path returns true; 'blind': the result never depends on the certificate. */
function dartAcceptsAnyCertificate(fn: FunctionShape): 'always' | 'blind' | undefined {
  const values = returnValues(fn);
  if (values.length === 0) return undefined;
  if (values.every((v) => v?.type === 'true')) return 'always';
  if (values.every((v) => v === null || v.type === 'false')) return undefined;
  const certificate = fn.params[0];
  if (certificate && !usesName(fn, certificate, ['identifier'])) return 'blind';
  return undefined;
}

/**
 * Dio's documented pattern: `HttpClient(context: SecurityContext(withTrustedRoots: false))`
 * whose callback accepts the chain, while the adapter's `validateCertificate` checks the leaf.
 */
function isDioDocumentedPattern(context: RuleContext, binding: DartCallbackBinding): boolean {
  const adapterArguments = dartArgumentListHolding(context.file, binding.site, 'createHttpClient');
  if (!adapterArguments) return false;
  const createClient = dartNamedArgumentValue(adapterArguments, 'createHttpClient');
  const builder = dartFunction(context.file, createClient);
  const builderBody = builder?.block ?? builder?.expression;
  if (!builderBody || !/withTrustedRoots\s*:\s*false/.test(builderBody.text)) return false;
  const validate = dartFunction(context.file, dartNamedArgumentValue(adapterArguments, 'validateCertificate'));
  if (!validate) return false;
  const certificate = validate.params[0];
  return !!certificate && usesName(validate, certificate, ['identifier']) && dartAcceptsAnyCertificate(validate) === undefined;
}

function inHttpOverrides(site: Node): boolean {
  return dartEnclosingFunctionName(site) === 'createHttpClient' && dartEnclosingClass(site)?.superclass === 'HttpOverrides';
}

// ---------------------------------------------------------------- Swift

const SWIFT_EVALUATION = /^(SecTrustEvaluate|SecTrustEvaluateWithError|SecTrustEvaluateAsyncWithError)$/;
/** Calls that decide trust by a pin or a custom evaluation, before answering the challenge. */
const SWIFT_DECIDING_CALL = /(pin|spki|fingerprint|evaluat|validat|verif)/i;
const SWIFT_PIN_WORDS = /(pin|hash|spki|fingerprint|digest)/i;

/**
 * Every finding below holds one of these words: only the calls and tuples around them are looked
 * at. `UseCredential` and `NSURLCredential(forTrust:)` are the Swift 2 spellings; the sender form
 * (`challenge.sender?.use(URLCredential(trust: t), for: challenge)`) names only the credential.
 */
const SWIFT_TRUST_ALL_WORDS = ['useCredential', 'UseCredential', 'URLCredential(trust'];

const SWIFT_ANSWERED_BLINDLY = 'The challenge is answered with .useCredential for the server trust without evaluating it: any certificate is accepted.';

function checkSwift(context: RuleContext): void {
  const { file } = context;
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], SWIFT_TRUST_ALL_WORDS)) {
    const values = swiftArguments(call).map(swiftArgumentValue);
    if (isUseCredentialWithTrust(values) && !evaluatedBefore(call)) {
      context.report(call, SWIFT_ANSWERED_BLINDLY, { data: { fix: 'swift.performDefaultHandling' } });
    } else if (isSenderUseCredential(call) && !evaluatedBefore(call)) {
      // URLAuthenticationChallengeSender (NSURLConnection, URLProtocol): no completion to rewrite.
      context.report(call, 'The challenge\'s sender is handed a credential for the server trust without evaluating it: any certificate is accepted.');
    }
  }
  // `return (.useCredential, URLCredential(trust: …))` in the async delegate method.
  for (const tuple of descendantsAround(file.root, file.text, ['tuple_expression'], SWIFT_TRUST_ALL_WORDS)) {
    const values = tuple.namedChildren.map((c) => c?.childForFieldName('value') ?? c ?? undefined);
    if (isUseCredentialWithTrust(values) && !evaluatedBefore(tuple)) {
      context.report(tuple, SWIFT_ANSWERED_BLINDLY);
    }
  }
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

/** The value of the one `let`/`var name = value` of the enclosing function that declares `name`. */
function swiftLocalValue(name: Node): Node | undefined {
  const fn = swiftEnclosingFunction(name);
  if (!fn) return undefined;
  const declarations = descendants(fn, 'property_declaration').filter((d) => d.childForFieldName('name')?.text === name.text && d.startIndex < name.startIndex);
  return declarations.length === 1 ? declarations[0].childForFieldName('value') ?? undefined : undefined;
}

/** A trust evaluation or pin comparison earlier in the same function. */
function evaluatedBefore(site: Node): boolean {
  const fn = swiftEnclosingFunction(site);
  if (!fn) return false;
  const earlier = (n: Node) => n.startIndex < site.startIndex;
  const decidingCall = descendants(fn, 'call_expression').some((c) => {
    if (!earlier(c)) return false;
    const name = swiftCalleeName(c) ?? '';
    return SWIFT_EVALUATION.test(name) || SWIFT_DECIDING_CALL.test(name) || name === 'contains';
  });
  return decidingCall || descendants(fn, 'equality_expression').some((e) => earlier(e) && SWIFT_PIN_WORDS.test(e.text));
}

// ---------------------------------------------------------------- TS / JS

/** The properties this rule reports: only the places that name one are looked at. */
const TS_TRUST_ALL_PROPERTIES = ['rejectUnauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED', 'checkServerIdentity'];

function checkTs(context: RuleContext): void {
  const { file } = context;
  const sites = descendantsAround(file.root, file.text, ['pair', 'shorthand_property_identifier', 'method_definition', 'assignment_expression'], TS_TRUST_ALL_PROPERTIES);
  for (const node of sites) {
    const name = node.type === 'assignment_expression' ? tsAssignedProperty(node) : tsPropertyName(node);
    const value = node.type === 'assignment_expression' ? node.childForFieldName('right')
      : node.type === 'pair' ? node.childForFieldName('value')
      : node;
    if (!name || !value) continue;
    if (name === 'rejectUnauthorized' && node.type !== 'method_definition' && tsFoldBoolean(file, value) === false) {
      context.report(node, 'rejectUnauthorized is false: TLS accepts any certificate, so any man-in-the-middle is trusted.', {
        data: { fix: 'ts.removeProperty', property: name },
      });
    } else if (name === 'NODE_TLS_REJECT_UNAUTHORIZED' && node.type === 'assignment_expression' && isProcessEnv(node) && isZero(value)) {
      context.report(node, 'NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate verification for every TLS connection of the process.', {
        data: { fix: 'ts.removeStatement' },
      });
    } else if (name === 'checkServerIdentity') {
      const fn = tsFunction(file, value);
      if (fn && tsIdentityCheckIsNoOp(fn)) {
        context.report(node, 'checkServerIdentity never returns an error: the certificate is not checked against the host name, so any valid certificate for another host is accepted.', {
          data: { fix: 'ts.removeProperty', property: name },
        });
      }
    }
  }
}

function isProcessEnv(assignment: Node): boolean {
  const left = assignment.childForFieldName('left');
  const object = left?.childForFieldName('object');
  return object?.text.replace(/\s/g, '') === 'process.env';
}

function isZero(value: Node): boolean {
  if (value.type === 'number') return Number(value.text) === 0;
  return value.type === 'string' && stringValue(value) === '0';
}
