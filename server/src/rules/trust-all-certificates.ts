import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../engine/rule';
import {
  dartArgumentListHolding, dartCallbackBindings, dartEnclosingClass, dartEnclosingFunctionName,
  dartFunction, dartNamedArgumentValue, type DartCallbackBinding,
} from '../facts/dart';
import { returnValues, usesName, type FunctionShape } from '../facts/functions';
import { descendantsAround, stringValue } from '../facts/tree';
import { reportTrustOptions, withLibraryTriggers } from '../libraries';
import { tsAssignedProperty, tsFoldBoolean, tsFunction, tsIdentityCheckIsNoOp, tsPropertyName } from '../facts/ts';

export const trustAllCertificates = defineRule(
  {
    id: 'trust-all-certificates',
    level: 'error',
    families: ['dart', 'swift', 'ts'],
    description: 'Code accepts any TLS certificate, or skips hostname verification, unconditionally.',
    // The hand-written shapes; the library models add their own words (Alamofire's evaluators,
    // URLSession's useCredential…).
    triggers: withLibraryTriggers(['badCertificateCallback', 'onBadCertificate', 'rejectUnauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED', 'checkServerIdentity'], 'acceptsAnyCertificate'),
    relaxedInDebugCode: true,
  },
  {
    dart: (c) => { checkDart(c); reportTrustOptions(c, 'acceptsAnyCertificate'); },
    swift: (c) => reportTrustOptions(c, 'acceptsAnyCertificate'),
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

// URLSession and WebKit challenge handlers are read by libraries/urlsession.ts: their findings
// come through reportTrustOptions, and their fixes stay in fixes/trust-all-certificates.ts.

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
