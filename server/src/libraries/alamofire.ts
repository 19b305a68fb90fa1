/**
 * Alamofire (Swift). Alamofire 5's `ServerTrustManager(evaluators:)` maps hosts to trust
 * evaluators; each evaluator's options are read wherever it is built (in the manager's
 * dictionary, a constant, a function). Defaults are safe: an evaluator without options
 * reports nothing.
 *
 * - `DisabledTrustEvaluator()` (`DisabledEvaluator()` in 5.0 betas) → accepts any certificate.
 * - `DefaultTrustEvaluator(validateHost: false)`, `RevocationTrustEvaluator(validateHost: false)`
 *   → accepts any certificate that chains to a trusted root, for any host: no pin, no host check.
 * - `PublicKeysTrustEvaluator` / `PinnedCertificatesTrustEvaluator` with `validateHost: false`
 *   → a pin check that ignores the host.
 * - `performDefaultValidation: false` together with `validateHost: false` on a pinning evaluator
 *   → no chain validation. With `validateHost: true` (the default) Alamofire still evaluates the
 *   chain, under the host-name policy (`performValidation(forHost:)`): no finding then.
 * - `PinnedCertificatesTrustEvaluator` pins whole certificates → a note (full-certificate-hash).
 * - `acceptSelfSignedCertificates: true` alone is not a finding: it only adds the pinned
 *   certificates as anchors, and the pins still decide.
 * - A `ServerTrustManager(evaluators:)` key written as a URL or with a port → its pins are not
 *   in effect (host-keys.ts).
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { swiftArguments, swiftArgumentValue, swiftCalleeName, swiftFalseArgument } from '../facts/swift';
import { descendantsAround } from '../facts/tree';
import { removeListElement } from '../fixes/text';
import { keysThatAreNoHost, type TrustManager } from './host-keys';
import type { LibraryModel, TrustOption } from './model';
import { setOption } from './option-fixes';

const DISABLED = ['DisabledTrustEvaluator', 'DisabledEvaluator'];
const HOST_ONLY = ['DefaultTrustEvaluator', 'RevocationTrustEvaluator'];
const PINNING = ['PublicKeysTrustEvaluator', 'PinnedCertificatesTrustEvaluator'];
const EVALUATORS = [...DISABLED, ...HOST_ONLY, ...PINNING];
const MANAGER_NAME = 'ServerTrustManager';

export const alamofire: LibraryModel = {
  id: 'alamofire',
  name: 'Alamofire 5',
  family: 'swift',
  triggers: [...EVALUATORS, MANAGER_NAME],
  effects: ['acceptsAnyCertificate', 'hostNotChecked', 'chainNotValidated', 'pinsWholeCertificate', 'pinsNotEnforced'],
  trustOptions,
};

const MANAGER: TrustManager = {
  name: MANAGER_NAME,
  label: 'evaluators',
  unmatched: 'With allHostsMustBeEvaluated (the default) that host\'s requests fail for want of an evaluator; without it, they get the default evaluation, unpinned.',
};

function trustOptions(file: SourceFile): TrustOption[] {
  const options: TrustOption[] = keysThatAreNoHost(file, alamofire.id, MANAGER);
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], EVALUATORS)) {
    const evaluator = swiftCalleeName(call);
    if (!evaluator || !EVALUATORS.includes(evaluator)) continue;
    if (DISABLED.includes(evaluator)) {
      options.push({ effect: 'acceptsAnyCertificate', library: alamofire.id, node: call, message: `${evaluator}() turns off server-trust evaluation for its host: any certificate is accepted.`, fix: disabledFix(call) });
      continue;
    }
    const validateHost = swiftFalseArgument(call, 'validateHost');
    if (validateHost && HOST_ONLY.includes(evaluator)) {
      options.push({
        effect: 'acceptsAnyCertificate', library: alamofire.id, node: validateHost,
        message: `${evaluator}(validateHost: false) checks no pin and not the host name: any certificate from a trusted CA, issued for any domain, is accepted for this host.`,
        fix: setOption(swiftArgumentValue(validateHost)!, 'validateHost', 'true'),
      });
    } else if (validateHost) {
      options.push({
        effect: 'hostNotChecked', library: alamofire.id, node: validateHost,
        message: `${evaluator}(validateHost: false) accepts a certificate issued for any host as long as it carries a pinned ${evaluator.startsWith('PublicKeys') ? 'key' : 'certificate'}: nothing checks that it was issued for the host connected to.`,
        fix: setOption(swiftArgumentValue(validateHost)!, 'validateHost', 'true'),
      });
    }
    const defaultValidation = swiftFalseArgument(call, 'performDefaultValidation');
    if (defaultValidation && validateHost && PINNING.includes(evaluator)) {
      options.push({
        effect: 'chainNotValidated', library: alamofire.id, node: defaultValidation,
        message: `${evaluator}(performDefaultValidation: false) with validateHost: false evaluates no chain at all: an expired, revoked or self-signed certificate passes as long as it carries a pinned ${evaluator.startsWith('PinnedCertificates') ? 'certificate' : 'key'}.`,
        fix: removeArgument(file, defaultValidation, 'performDefaultValidation: false'),
      });
    }
    if (evaluator === 'PinnedCertificatesTrustEvaluator') {
      options.push({
        effect: 'pinsWholeCertificate', library: alamofire.id, node: call.namedChildren[0] ?? call, level: 'note',
        message: 'PinnedCertificatesTrustEvaluator pins whole certificates: every renewal of a pinned certificate needs an app update first. PublicKeysTrustEvaluator pins their public keys, which survive renewals that keep the key.',
      });
    }
  }
  return options;
}

function disabledFix(call: Node): TrustOption['fix'] {
  const name = call.namedChildren[0];
  if (name?.type !== 'simple_identifier' || swiftArguments(call).length !== 0) return undefined;
  return {
    title: 'Use DefaultTrustEvaluator(): the standard trust and host name evaluation',
    edits: [{ start: name.startIndex, end: name.endIndex, text: 'DefaultTrustEvaluator' }],
  };
}

function removeArgument(file: SourceFile, argument: Node, what: string): TrustOption['fix'] {
  const edit = removeListElement(file.text, argument);
  return edit && { title: `Remove ${what}: the system validates the chain before the pins are compared`, edits: [edit] };
}
