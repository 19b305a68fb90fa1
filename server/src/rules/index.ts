import type { Rule } from '../engine/rule';
import { invalidPin } from './invalid-pin';
import { singlePin } from './single-pin';
import { trustAllCertificates } from './trust-all-certificates';
import { fullCertificateHash } from './full-certificate-hash';
import { rawPublicKeyHash } from './raw-public-key-hash';
import { pinCheckIgnoresHost } from './pin-check-ignores-host';
import { pinCheckBypassedByTrustedCa } from './pin-check-bypassed-by-trusted-ca';
import { chainValidationDisabled } from './chain-validation-disabled';
import { pinningNotEnforced } from './pinning-not-enforced';
import { pinSetExpired } from './pin-set-expired';
import { userCaTrusted } from './user-ca-trusted';

/** Every rule, in the order the docs list them. */
export const ALL_RULES: readonly Rule[] = [
  trustAllCertificates,
  fullCertificateHash,
  rawPublicKeyHash,
  singlePin,
  invalidPin,
  pinCheckIgnoresHost,
  pinCheckBypassedByTrustedCa,
  chainValidationDisabled,
  pinningNotEnforced,
  pinSetExpired,
  userCaTrusted,
];
