import type { Node } from 'web-tree-sitter';
import { defineRule, type RuleContext } from '../engine/rule';
import { dartAcceptsAnyCertificate, dartCallbackBindings, dartEnclosingClass, dartEnclosingFunctionName, dartFunction } from '../facts/dart';
import { isDioDocumentedPattern } from '../libraries/dio';
import { isInDebugGuard } from '../facts/debug-guards';
import { contains, descendantsAround } from '../facts/tree';
import { reportTrustOptions, withLibraryTriggers } from '../libraries';

export const trustAllCertificates = defineRule(
  {
    id: 'trust-all-certificates',
    level: 'error',
    security: { cwe: [295], masvs: ['MASVS-NETWORK-1'], severity: 9.1, precision: 'high' },
    families: ['dart', 'swift', 'ts'],
    description: 'Code accepts any TLS certificate, or skips hostname verification, unconditionally.',
    // Dart's hand-written callbacks; the library models add their own words (Alamofire's
    // evaluators, URLSession's useCredential, Node's rejectUnauthorized...) in every language.
    triggers: withLibraryTriggers({ dart: ['badCertificateCallback', 'onBadCertificate'] }, 'acceptsAnyCertificate'),
    relaxedInDebugCode: true,
  },
  {
    dart: (c) => { checkDart(c); reportTrustOptions(c, 'acceptsAnyCertificate'); },
    swift: (c) => reportTrustOptions(c, 'acceptsAnyCertificate'),
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
    const verdict = dartAcceptsAnyCertificate(file, fn);
    if (!verdict || isDioDocumentedPattern(file, binding)) continue;
    const overrides = inHttpOverrides(binding.site);
    const installs = overrides ? installationsOf(context, overrides) : [];
    const debugOnly = installs.length > 0 && installs.every((i) => isInDebugGuard(file, i));
    const global = !overrides ? ''
      : debugOnly ? ` Set in HttpOverrides.createHttpClient, it applies to every HttpClient of the app; ${overrides.name} is installed only in debug builds here.`
      : ' Set in HttpOverrides.createHttpClient, it applies to every HttpClient of the app.';
    const message = verdict === 'always' ? `${binding.name} returns true for every certificate: any man-in-the-middle is trusted.${global}`
      : verdict === 'debug' ? `${binding.name} accepts any certificate in debug builds only: there any man-in-the-middle is trusted (a debugging proxy, a self-signed dev server); release builds keep the trust store's verdict.${global}`
      : `${binding.name} never looks at the certificate: it accepts any certificate for the connections it lets through.${global}`;
    const level = debugOnly || verdict === 'debug' ? 'note' : undefined;
    context.report(binding.site, message, { level, data: { fix: 'dart.removeCallback', name: binding.name } });
  }
}

/** The `HttpOverrides` subclass whose `createHttpClient` holds `site`. */
function inHttpOverrides(site: Node): { name: string; node: Node } | undefined {
  if (dartEnclosingFunctionName(site) !== 'createHttpClient') return undefined;
  const enclosing = dartEnclosingClass(site);
  return enclosing?.superclass === 'HttpOverrides' && enclosing.name ? enclosing : undefined;
}

/**
 * The constructions of an `HttpOverrides` subclass in the file (`HttpOverrides.global = DevOverrides()`,
 * `HttpOverrides.runWithHttpOverrides(body, DevOverrides())`, a variable that is installed
 * later): each is where the class may be installed. When every one runs only in debug builds
 * (`if (kDebugMode)`, `assert(() {…}())`), so does the override. None visible: it is installed
 * in another file, and we cannot tell.
 */
function installationsOf(context: RuleContext, overrides: { name: string; node: Node }): Node[] {
  const { file } = context;
  return descendantsAround(file.root, file.text, ['identifier'], [overrides.name]).filter((id) => {
    if (id.text !== overrides.name || contains(overrides.node, id)) return false;
    const next = id.nextNamedSibling;
    const call = next?.type === 'selector' && next.namedChildren[0]?.type === 'argument_part' ? next
      : next?.type === 'selector' && next.namedChildren[0]?.type === 'unconditional_assignable_selector' ? next.nextNamedSibling : undefined;
    return call?.type === 'selector' && call.namedChildren[0]?.type === 'argument_part';
  });
}

// ---------------------------------------------------------------- Swift

// URLSession and WebKit challenge handlers are read by libraries/urlsession.ts: their findings
// come through reportTrustOptions, and their fixes stay in fixes/trust-all-certificates.ts.

// ---------------------------------------------------------------- TS / JS

// rejectUnauthorized, NODE_TLS_REJECT_UNAUTHORIZED, no-op checkServerIdentity and the HTTP
// clients' options are read by libraries/node-tls.ts.
