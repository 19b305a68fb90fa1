import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../engine/rule';
import {
  dartArgumentListHolding, dartCallbackBindings, dartEnclosingClass, dartEnclosingFunctionName,
  dartFunction, dartNamedArgumentValue, type DartCallbackBinding,
} from '../facts/dart';
import { returnValues, usesName, type FunctionShape } from '../facts/functions';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftCalleeName, swiftEnclosingFunction } from '../facts/swift';
import { descendants, descendantsAround } from '../facts/tree';
import { reportTrustOptions, withLibraryTriggers } from '../libraries';

export const trustAllCertificates = defineRule(
  {
    id: 'trust-all-certificates',
    level: 'error',
    families: ['dart', 'swift', 'ts'],
    description: 'Code accepts any TLS certificate, or skips hostname verification, unconditionally.',
    // The hand-written shapes; the library models add their own words (Alamofire's evaluators,
    // Node's rejectUnauthorized…).
    triggers: withLibraryTriggers(['badCertificateCallback', 'onBadCertificate', 'useCredential'], 'acceptsAnyCertificate'),
    relaxedInDebugCode: true,
  },
  {
    dart: (c) => { checkDart(c); reportTrustOptions(c, 'acceptsAnyCertificate'); },
    swift: (c) => { checkSwift(c); reportTrustOptions(c, 'acceptsAnyCertificate'); },
    // TS/JS: all of it is Node's and its clients' options (libraries/node-tls.ts).
    ts: (c) => reportTrustOptions(c, 'acceptsAnyCertificate'),
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

/** Every finding below holds this word: only the calls and tuples around it are looked at. */
const SWIFT_TRUST_ALL_WORDS = ['useCredential'];

function checkSwift(context: RuleContext): void {
  const { file } = context;
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], SWIFT_TRUST_ALL_WORDS)) {
    if (isUseCredentialWithTrust(swiftArguments(call).map(swiftArgumentValue)) && !evaluatedBefore(call)) {
      context.report(call, 'The challenge is answered with .useCredential for the server trust without evaluating it: any certificate is accepted.', {
        data: { fix: 'swift.performDefaultHandling' },
      });
    }
  }
  // `return (.useCredential, URLCredential(trust: …))` in the async delegate method.
  for (const tuple of descendantsAround(file.root, file.text, ['tuple_expression'], SWIFT_TRUST_ALL_WORDS)) {
    const values = tuple.namedChildren.map((c) => c?.childForFieldName('value') ?? c ?? undefined);
    if (isUseCredentialWithTrust(values) && !evaluatedBefore(tuple)) {
      context.report(tuple, 'The challenge is answered with .useCredential for the server trust without evaluating it: any certificate is accepted.');
    }
  }
}

function isUseCredentialWithTrust(values: (Node | undefined)[]): boolean {
  const [disposition, credential] = values;
  if (disposition?.type !== 'prefix_expression' || disposition.text.replace(/\s/g, '') !== '.useCredential') return false;
  if (credential?.type !== 'call_expression' || swiftCalleeName(credential) !== 'URLCredential') return false;
  return swiftArguments(credential).some((a) => swiftArgumentLabel(a) === 'trust');
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
