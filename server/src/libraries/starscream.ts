/**
 * Starscream, the WebSocket client for Swift:
 *
 * - 4.x: `FoundationSecurity(allowSelfSigned: true)`, handed to `WebSocket(request:certPinner:)`.
 *   Its `evaluateTrust(trust:domain:completion:)` answers `.success` before anything is evaluated
 *   → accepts any certificate, not only self-signed ones.
 * - 3.x: `socket.disableSSLCertValidation = true` sets `kCFStreamSSLValidatesCertificateChain:
 *   false` and `kCFStreamSSLPeerName: kCFNull` on the streams → the same, for that socket.
 *
 * Both fixes set the option back (`allowSelfSigned: false`, `= false`). Not read: the 3.x
 * `SSLSecurity(certs:usePublicKeys:)` pinning and custom `CertificatePinning` types.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftCalleeName } from '../facts/swift';
import { descendantsAround } from '../facts/tree';
import type { LibraryModel, TrustOption } from './model';
import { setOption } from './option-fixes';

const DISABLE_VALIDATION = 'disableSSLCertValidation';
const FOUNDATION_SECURITY = 'FoundationSecurity';

export const starscream: LibraryModel = {
  id: 'starscream',
  name: 'Starscream (WebSocket)',
  family: 'swift',
  triggers: [DISABLE_VALIDATION, FOUNDATION_SECURITY],
  effects: ['acceptsAnyCertificate'],
  trustOptions,
};

function trustOptions(file: SourceFile): TrustOption[] {
  const options: TrustOption[] = [];
  for (const assignment of descendantsAround(file.root, file.text, ['assignment'], [DISABLE_VALIDATION])) {
    const target = assignment.childForFieldName('target')?.namedChildren[0];
    const value = assignment.childForFieldName('result');
    if (target?.type !== 'navigation_expression' || value?.type !== 'boolean_literal' || value.text !== 'true') continue;
    if (target.childForFieldName('suffix')?.childForFieldName('suffix')?.text !== DISABLE_VALIDATION) continue;
    options.push({
      effect: 'acceptsAnyCertificate', library: starscream.id, node: assignment, fix: setOption(value, DISABLE_VALIDATION, 'false', ' = '),
      message: 'disableSSLCertValidation = true: Starscream turns off the validation of the certificate chain and of the peer name for this socket, so any certificate, and any man-in-the-middle, is accepted.',
    });
  }
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], [FOUNDATION_SECURITY])) {
    if (swiftCalleeName(call) !== FOUNDATION_SECURITY) continue;
    const allow = allowSelfSigned(call);
    if (!allow) continue;
    options.push({
      effect: 'acceptsAnyCertificate', library: starscream.id, node: allow.argument, fix: setOption(allow.value, 'allowSelfSigned', 'false'),
      message: 'FoundationSecurity(allowSelfSigned: true): Starscream answers every trust evaluation with success before evaluating anything, so any certificate is accepted, not only self-signed ones.',
    });
  }
  return options;
}

/** The `allowSelfSigned: true` argument of a `FoundationSecurity(…)` call. */
function allowSelfSigned(call: Node): { argument: Node; value: Node } | undefined {
  for (const argument of swiftArguments(call)) {
    const value = swiftArgumentValue(argument);
    if (swiftArgumentLabel(argument) === 'allowSelfSigned' && value?.text === 'true') return { argument, value };
  }
  return undefined;
}
