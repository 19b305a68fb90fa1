/**
 * Alamofire 4 and 3 (Swift): `ServerTrustPolicy`, the enum that `ServerTrustPolicyManager(policies:)`
 * maps hosts to (Moya's `Manager(serverTrustPolicyManager:)` too). Swift 2-era code spells the
 * cases capitalised (`.PinPublicKeys`, `.DisableEvaluation`); both spellings are read.
 *
 * - `.disableEvaluation`, and `.customEvaluation { _, _ in true }` (a closure that returns true on
 *   every path) → accepts any certificate.
 * - `.performDefaultEvaluation(validateHost: false)` / `.performRevokedEvaluation(validateHost: false, …)`
 *   → any certificate from a trusted CA, issued for any host.
 * - `.pinCertificates` / `.pinPublicKeys` with `validateCertificateChain: false` → no chain
 *   evaluation. Alamofire 4 checks the host only inside that evaluation (`SecPolicyCreateSSL(true, host)`),
 *   so the host is not checked either, whatever `validateHost` says.
 * - the same with `validateHost: false` (and the chain validated) → a pin check that ignores the host.
 * - `.pinCertificates` pins whole certificates → a note (full-certificate-hash).
 * - A `ServerTrustPolicyManager(policies:)` key written as a URL or with a port → its pins are
 *   not in effect (host-keys.ts).
 *
 * Enum patterns (`case .disableEvaluation:` in a vendored copy of Alamofire) are not expressions
 * and are never read.
 */
import type { SourceFile } from '../engine/source-file';
import type { Node } from 'web-tree-sitter';
import { returnValues } from '../facts/functions';
import { swiftArguments, swiftArgumentValue, swiftFalseArgument, swiftMemberName } from '../facts/swift';
import { descendantsAround } from '../facts/tree';
import { keysThatAreNoHost, type TrustManager } from './host-keys';
import type { LibraryModel, TrustOption } from './model';
import { setOption } from './option-fixes';

/** Case names in either spelling, lowercased: `PinPublicKeys` and `pinPublicKeys` are one case. */
const DISABLE = 'disableevaluation';
const CUSTOM = 'customevaluation';
const HOST_ONLY = ['performdefaultevaluation', 'performrevokedevaluation'];
const PINNING = ['pincertificates', 'pinpublickeys'];

export const alamofire4: LibraryModel = {
  id: 'alamofire4',
  name: 'Alamofire 4 and 3',
  family: 'swift',
  // The enum's name and the words of its cases: enum case arguments have no defaults, so a
  // pinning case always spells validateCertificateChain.
  triggers: ['ServerTrustPolicy', 'disableEvaluation', 'CustomEvaluation', 'validateCertificateChain', 'DefaultEvaluation', 'RevokedEvaluation'],
  effects: ['acceptsAnyCertificate', 'hostNotChecked', 'chainNotValidated', 'pinsWholeCertificate', 'pinsNotEnforced'],
  trustOptions,
};

const MANAGER: TrustManager = {
  name: 'ServerTrustPolicyManager',
  label: 'policies',
  unmatched: 'That host\'s requests get the default evaluation, unpinned.',
};

function trustOptions(file: SourceFile): TrustOption[] {
  const options: TrustOption[] = keysThatAreNoHost(file, alamofire4.id, MANAGER);
  // `.disableEvaluation` is a common enough member name: only in a file that names the policy type.
  const namesPolicy = file.text.includes('ServerTrustPolic');
  for (const node of descendantsAround(file.root, file.text, ['prefix_expression', 'navigation_expression'], ['disableEvaluation', 'DisableEvaluation'])) {
    const member = swiftMemberName(node);
    if (!namesPolicy || member?.name.text.toLowerCase() !== DISABLE || !qualifierIsPolicy(member.qualifier)) continue;
    if (node.parent?.type === 'call_expression' && node.parent.namedChildren[0]?.id === node.id) continue;
    options.push({
      effect: 'acceptsAnyCertificate', library: alamofire4.id, node,
      message: `ServerTrustPolicy.${member.name.text} turns off server-trust evaluation for its host: any certificate is accepted.`,
      fix: {
        title: `Use .${caseSpelling(member.name.text, 'performDefaultEvaluation')}(validateHost: true): the standard trust and host name evaluation`,
        edits: [{ start: member.name.startIndex, end: member.name.endIndex, text: `${caseSpelling(member.name.text, 'performDefaultEvaluation')}(validateHost: true)` }],
      },
    });
  }
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], ['customEvaluation', 'CustomEvaluation'])) {
    const callee = call.namedChildren[0];
    const member = callee && swiftMemberName(callee);
    if (!namesPolicy || member?.name.text.toLowerCase() !== CUSTOM || !qualifierIsPolicy(member.qualifier)) continue;
    if (!alwaysTrue(closureArgument(call))) continue;
    const replacement = `${caseSpelling(member.name.text, 'performDefaultEvaluation')}(validateHost: true)`;
    options.push({
      effect: 'acceptsAnyCertificate', library: alamofire4.id, node: call,
      message: `ServerTrustPolicy.${member.name.text} with a closure that returns true for every server trust: any certificate is accepted.`,
      fix: {
        title: `Use .${replacement}: the standard trust and host name evaluation`,
        edits: [{ start: member.name.startIndex, end: call.endIndex, text: replacement }],
      },
    });
  }
  // The calls that spell an argument read below, and those of `.pinCertificates`, whose note
  // needs none (its arguments may be cut off from it: `.pinCertificates(a), validateHost: true)`).
  const words = ['validateHost', 'validateCertificateChain', 'pinCertificates', 'PinCertificates'];
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], words)) {
    const callee = call.namedChildren[0];
    const member = callee && swiftMemberName(callee);
    if (!member || !qualifierIsPolicy(member.qualifier)) continue;
    const name = member.name.text;
    const policyCase = name.toLowerCase();
    const validateHost = swiftFalseArgument(call, 'validateHost');
    if (HOST_ONLY.includes(policyCase)) {
      if (validateHost) {
        options.push({
          effect: 'acceptsAnyCertificate', library: alamofire4.id, node: validateHost,
          message: `ServerTrustPolicy.${name}(validateHost: false) checks no pin and not the host name: any certificate from a trusted CA, issued for any domain, is accepted for this host.`,
          fix: setOption(swiftArgumentValue(validateHost)!, 'validateHost', 'true'),
        });
      }
      continue;
    }
    if (!PINNING.includes(policyCase)) continue;
    const pinned = policyCase === 'pincertificates' ? 'certificate' : 'key';
    const chain = swiftFalseArgument(call, 'validateCertificateChain');
    if (chain) {
      options.push({
        effect: 'chainNotValidated', library: alamofire4.id, node: chain,
        message: `ServerTrustPolicy.${name}(validateCertificateChain: false) evaluates no chain: an expired, revoked or self-signed certificate passes as long as it carries a pinned ${pinned}. Alamofire 4 checks the host only within that evaluation, so the host name is not checked either${validateHost ? '' : ', whatever validateHost says'}.`,
        fix: setOption(swiftArgumentValue(chain)!, 'validateCertificateChain', 'true'),
      });
    }
    if (validateHost) {
      options.push({
        effect: 'hostNotChecked', library: alamofire4.id, node: validateHost,
        message: `ServerTrustPolicy.${name}(validateHost: false) accepts a certificate issued for any host as long as it carries a pinned ${pinned}: nothing checks that it was issued for the host connected to.`,
        fix: setOption(swiftArgumentValue(validateHost)!, 'validateHost', 'true'),
      });
    }
    if (pinned === 'certificate') {
      options.push({
        effect: 'pinsWholeCertificate', library: alamofire4.id, node: callee, level: 'note',
        message: `ServerTrustPolicy.${name} pins whole certificates: every renewal of a pinned certificate needs an app update first. .pinPublicKeys pins their public keys, which survive renewals that keep the key.`,
      });
    }
  }
  return options;
}

/** The evaluation closure: the one argument, or the trailing closure. */
function closureArgument(call: Node): Node | undefined {
  const suffix = call.namedChildren.find((c) => c?.type === 'call_suffix');
  const trailing = suffix?.namedChildren.find((c) => c?.type === 'lambda_literal');
  if (trailing) return trailing;
  const args = swiftArguments(call);
  const value = args.length === 1 ? swiftArgumentValue(args[0]) : undefined;
  return value?.type === 'lambda_literal' ? value : undefined;
}

/** A closure whose every result is the literal `true`: `{ _, _ in true }`, `{ _, _ in return true }`. */
function alwaysTrue(closure: Node | undefined): boolean {
  const body = closure?.namedChildren.find((c) => c?.type === 'statements');
  if (!closure || !body) return false;
  const statements = body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  // A single expression is the closure's implicit result.
  if (statements.length === 1 && statements[0].type !== 'control_transfer_statement') return statements[0].text === 'true';
  const values = returnValues({ node: closure, params: [], block: body });
  return values.length > 0 && values.every((v) => v?.text === 'true');
}

/** `.x` (implied type) or `ServerTrustPolicy.x`; another qualifier is another type's member. */
function qualifierIsPolicy(qualifier: string | undefined): boolean {
  return qualifier === undefined || /(^|\.)ServerTrustPolicy$/.test(qualifier);
}

/** `target` in the spelling of `like`: capitalised when the code capitalises its cases. */
function caseSpelling(like: string, target: string): string {
  return /^[A-Z]/.test(like) ? target[0].toUpperCase() + target.slice(1) : target;
}
