import { defineRule, type RuleContext } from '../engine/rule';
import { dartClientConstruction, dartClientTrustsSystemRoots, pinComparisons } from '../facts/certificate-checks';
import { dioAdapterAround } from '../libraries/dio';
import { dartCallbackBindings, dartFunction } from '../facts/dart';

export const pinCheckBypassedByTrustedCa = defineRule(
  {
    id: 'pin-check-bypassed-by-trusted-ca',
    level: 'error',
    security: { cwe: [295, 322], masvs: ['MASVS-NETWORK-2'], severity: 7.4, precision: 'high' },
    families: ['dart'],
    description: 'A pin check in badCertificateCallback of a client that trusts the system roots: it only runs for certificates the system rejects, so any CA-signed certificate skips it.',
    triggers: ['badCertificateCallback', 'onBadCertificate'],
    relaxedInDebugCode: true,
  },
  { dart: checkDart },
);

function checkDart(context: RuleContext): void {
  const { file } = context;
  for (const binding of dartCallbackBindings(file)) {
    if (binding.name !== 'badCertificateCallback' && binding.name !== 'onBadCertificate') continue;
    const fn = dartFunction(file, binding.value);
    const body = fn?.block ?? fn?.expression;
    const comparisons = body ? pinComparisons(file, body) : [];
    if (comparisons.length === 0) continue;
    if (dartClientTrustsSystemRoots(file, binding) !== true) continue;
    // Dio: a validateCertificate on the same adapter runs after every handshake.
    const adapter = binding.name === 'badCertificateCallback' ? dioAdapterAround(file, binding.site) : undefined;
    if (adapter?.validate) continue;
    const what = binding.name === 'onBadCertificate' ? 'socket' : 'HttpClient';
    const client = dartClientConstruction(file, binding);
    context.report(
      binding.site,
      `${binding.name} compares pins, but this ${what} still trusts the system roots: the callback only runs for certificates the system rejects, so any CA-signed certificate — an attacker's included — is accepted without reaching the pin check.`,
      {
        data: { fix: adapter?.builder === 'createHttpClient' ? 'dart.dioValidateCertificate' : 'dart.withoutTrustedRoots' },
        related: [
          { target: comparisons[0], message: 'The pin check that CA-signed certificates never reach.' },
          ...(client ? [{ target: client, message: 'The HttpClient, which still trusts the system roots.' }] : []),
        ],
      },
    );
  }
}
