import { defineRule } from '../engine/rule';

export const trustAllCertificates = defineRule(
  {
    id: 'trust-all-certificates',
    level: 'error',
    families: ['dart', 'swift', 'ts'],
    description: 'Code accepts any TLS certificate, or skips hostname verification, unconditionally.',
    triggers: ['badCertificateCallback', 'onBadCertificate', 'useCredential', 'DisabledTrustEvaluator', 'DisabledEvaluator', 'rejectUnauthorized', 'NODE_TLS_REJECT_UNAUTHORIZED', 'checkServerIdentity'],
    relaxedInDebugCode: true,
  },
  {},
);
