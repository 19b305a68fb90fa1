/**
 * Starscream, the WebSocket client for Swift:
 *
 * - 4.x: `FoundationSecurity(allowSelfSigned: true)`, handed to `WebSocket(request:certPinner:)`.
 *   Its `evaluateTrust(trust:domain:completion:)` answers `.success` before anything is evaluated
 *   → accepts any certificate, not only self-signed ones.
 * - 3.x: `socket.disableSSLCertValidation = true` sets `kCFStreamSSLValidatesCertificateChain:
 *   false` and `kCFStreamSSLPeerName: kCFNull` on the streams → the same, for that socket.
 *
 * Both fixes set the option back (`allowSelfSigned: false`, `= false`). A 3.x socket that also
 * has a `security` (`SSLSecurity(certs:usePublicKeys:)`, pinned keys or certificates) is not
 * reported: its stream delegate checks the trust with it and disconnects when no pin matches,
 * whatever `disableSSLCertValidation` says (the documented way to pin a self-signed server).
 * Not read: the pins themselves, and custom `CertificatePinning` types.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftCalleeName, swiftMemberAssignments } from '../facts/swift';
import { descendantsAround } from '../facts/tree';
import type { LibraryModel, TrustOption } from './model';
import { setOption } from './option-fixes';

const DISABLE_VALIDATION = 'disableSSLCertValidation';
const SECURITY = 'security';
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
  let pinned: Set<string> | undefined;
  for (const { assignment, target, member, value } of swiftMemberAssignments(file, [DISABLE_VALIDATION])) {
    if (member !== DISABLE_VALIDATION || value.type !== 'boolean_literal' || value.text !== 'true') continue;
    if ((pinned ??= socketsWithSecurity(file)).has(socketName(target))) continue;
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

/** The sockets (`socketName`) the file gives a `security` other than nil: `ws.security = SSLSecurity(…)`. */
function socketsWithSecurity(file: SourceFile): Set<string> {
  return new Set(swiftMemberAssignments(file, [SECURITY]).filter((a) => a.member === SECURITY && a.value.text !== 'nil').map((a) => socketName(a.target)));
}

/** The socket an option is set on, as written: `socket` for `socket?.x`, `self.socket!.x` and `socket.x`. */
function socketName(option: Node): string {
  return (option.childForFieldName('target')?.text ?? '').replace(/\s+|[?!]/g, '').replace(/^self\./, '');
}

/** The `allowSelfSigned: true` argument of a `FoundationSecurity(…)` call. */
function allowSelfSigned(call: Node): { argument: Node; value: Node } | undefined {
  for (const argument of swiftArguments(call)) {
    const value = swiftArgumentValue(argument);
    if (swiftArgumentLabel(argument) === 'allowSelfSigned' && value?.text === 'true') return { argument, value };
  }
  return undefined;
}
