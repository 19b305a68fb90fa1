import { defineRule, type RuleContext } from '../engine/rule';
import { wholeWord } from '../engine/trigger-set';
import { certificateChecks, type CertificateCheck } from '../facts/certificate-checks';
import { tsIdentityCheckIsNoOp } from '../facts/ts';
import { reportTrustOptions, withLibraryTriggers } from '../libraries';

export const pinCheckIgnoresHost = defineRule(
  {
    id: 'pin-check-ignores-host',
    level: 'warning',
    security: { cwe: [297, 322], masvs: ['MASVS-NETWORK-1', 'MASVS-NETWORK-2'], severity: 7.4, precision: 'high' },
    families: ['dart', 'swift', 'ts'],
    description: 'A certificate check compares pins, but the host does not decide the result: the pins of one host are accepted for every host.',
    // Dart callbacks, Swift challenge handlers and evaluators, TS identity checks and secureConnect handlers.
    triggers: withLibraryTriggers(['badCertificateCallback', wholeWord('validateCertificate'), 'challenge', 'Challenge', 'forHost', 'checkServerIdentity', 'secureConnect', 'getPeerCertificate'], 'hostNotChecked'),
    relaxedInDebugCode: true,
  },
  { dart: check, swift: check, ts: check },
);

function check(context: RuleContext): void {
  reportTrustOptions(context, 'hostNotChecked');
  for (const c of certificateChecks(context.file)) {
    if (c.hostDecides || c.hostnameVerified) continue;
    if (c.kind === 'checkServerIdentity') {
      // A function that never returns an error is trust-all-certificates' finding.
      if (!c.fn || tsIdentityCheckIsNoOp(context.file, c.fn)) continue;
      context.report(c.node, c.pinComparisons.length > 0
        ? 'checkServerIdentity compares pins but never calls tls.checkServerIdentity(host, cert) nor uses the host: the host name is no longer verified, and a pinned key is accepted for any host.'
        : 'checkServerIdentity never calls tls.checkServerIdentity(host, cert) nor uses the host: it replaces Node\'s host name verification, so a valid certificate for another domain is accepted.',
      { data: { fix: 'ts.checkServerIdentity' } });
      continue;
    }
    if (c.pinComparisons.length === 0) continue;
    context.report(c.node, message(c), {
      data: { fix: c.kind === 'secureConnect' ? 'ts.checkServerIdentity' : 'restrictToHost' },
      related: [{ target: c.pinComparisons[0], message: 'The pin comparison, made without the host.' }],
    });
  }
}

function message(c: CertificateCheck): string {
  const tail = 'a certificate pinned for one host is accepted for every host, and nothing checks that the certificate was issued for the host connected to.';
  switch (c.kind) {
    case 'badCertificateCallback':
    case 'validateCertificate':
      return `${c.kind} compares pins without looking at the host parameter: ${tail}`;
    case 'challengeHandler':
      return `This challenge handler compares pins without looking at challenge.protectionSpace.host, and does not evaluate the trust with the challenge's own host name policy: ${tail}`;
    case 'trustEvaluator':
      return `This trust evaluator compares pins without looking at its host parameter, and does not evaluate the trust for that host: ${tail}`;
    default:
      return `This secureConnect handler compares pins without looking at the host, on a connection with rejectUnauthorized: false: ${tail}`;
  }
}
