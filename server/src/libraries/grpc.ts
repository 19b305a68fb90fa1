/**
 * grpc (Dart): `ChannelCredentials.secure(certificates:, authority:, onBadCertificate:)`.
 *
 * - `onBadCertificate` is called, like dart:io's `badCertificateCallback`, for a certificate the
 *   TLS layer rejected; a function literal there is read by the trust-all and pin rules as any
 *   callback is. The package's own `allowBadCertificates` helper (`=> true`, "DO NOT USE IN
 *   PRODUCTION") is defined in the package, not the app: named there, it accepts any certificate.
 * - With `certificates:` the channel trusts only those certificates (a root-less
 *   `SecurityContext`); without, the system roots.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { dartCallbackBindings, dartFunction } from '../facts/dart';
import { removeListElement } from '../fixes/text';
import type { LibraryModel, TrustOption } from './model';

const HELPER = 'allowBadCertificates';

export const grpc: LibraryModel = {
  id: 'grpc',
  name: 'grpc',
  family: 'dart',
  triggers: [HELPER],
  effects: ['acceptsAnyCertificate'],
  trustOptions,
};

function trustOptions(file: SourceFile): TrustOption[] {
  // An app's own function of that name is read from its body by the rules instead.
  if (dartFunction(file, dartCallbackBindings(file).find((b) => b.value?.text === HELPER)?.value)) return [];
  return dartCallbackBindings(file).flatMap((binding): TrustOption[] => {
    if (binding.name !== 'onBadCertificate' || binding.value?.type !== 'identifier' || binding.value.text !== HELPER) return [];
    const edit = binding.site.type === 'named_argument' ? removeListElement(file.text, binding.site) : undefined;
    return [{
      effect: 'acceptsAnyCertificate',
      library: grpc.id,
      node: binding.site,
      message: `onBadCertificate: ${HELPER} is grpc's accept-everything handler (its own documentation says: do not use in production): any certificate is accepted, so any man-in-the-middle is trusted.`,
      fix: edit && { title: 'Remove the onBadCertificate argument: the default certificate validation applies again', edits: [edit] },
    }];
  });
}

/**
 * Whether the channel of `ChannelCredentials.secure(…)` whose argument list is `args` trusts the
 * system roots: false with `certificates:` (grpc then builds `SecurityContext(withTrustedRoots:
 * false)` with them), undefined when the list is not grpc's.
 */
export function grpcCredentialsTrustSystemRoots(args: Node): boolean | undefined {
  const call = args.parent?.parent; // arguments → argument_part → selector
  const callee = call?.previousNamedSibling;
  if (callee?.type !== 'selector' || callee.text.replace(/^\??\./, '') !== 'secure' || callee.previousNamedSibling?.text !== 'ChannelCredentials') return undefined;
  const certificates = args.namedChildren.some((c) => c?.type === 'named_argument' && c.namedChildren[0]?.text.replace(/\s*:$/, '') === 'certificates');
  return !certificates;
}
