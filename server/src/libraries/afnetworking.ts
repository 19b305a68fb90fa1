/**
 * AFNetworking's `AFSecurityPolicy`, used from Swift (`manager.securityPolicy`, or a policy built
 * with `AFSecurityPolicy(pinningMode:)` and assigned to it). What each option does depends on the
 * policy's pinning mode (AFSecurityPolicy.m, `evaluateServerTrust:forDomain:`):
 *
 * - `allowInvalidCertificates = true`
 *   - mode none (the default policy): the evaluation's verdict is ignored → accepts any
 *     certificate. (With `validatesDomainName` left true, AFNetworking 2.5.2 and later refuse
 *     every server instead: "you MUST use pinning"; older versions accept any certificate.)
 *   - mode `.publicKey`: the verdict is ignored and only keys are compared → no chain validation,
 *     and no host check (the host is checked only within that evaluation).
 *   - mode `.certificate`: the pinned certificates become the anchors and the chain is still
 *     evaluated against them: the self-signed set-up the option is for, not a finding.
 * - `validatesDomainName = false`: the evaluation uses `SecPolicyCreateBasicX509()`, without the
 *   host → in mode none any CA-issued certificate for any host (accepts any certificate);
 *   with pinning, a pin check that ignores the host.
 * - `validatesCertificateChain = false` (AFNetworking 2) only narrows which certificates of the
 *   chain must match the pins: the system evaluation still decides, so it is not a finding.
 * - Mode `.certificate` pins whole certificates → a note (full-certificate-hash).
 *
 * A policy is known by the last name of what holds it (`manager.securityPolicy` → securityPolicy);
 * its mode comes from `AFSecurityPolicy(pinningMode:)` or `.SSLPinningMode = …` in the same file,
 * and is the default (none) when the file sets none.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftEnclosingFunction, swiftMemberAssignments } from '../facts/swift';
import { ancestors, descendantsAround } from '../facts/tree';
import type { LibraryModel, TrustOption } from './model';
import { setOption } from './option-fixes';

type PinningMode = 'none' | 'publicKey' | 'certificate';

const OPTIONS = ['allowInvalidCertificates', 'validatesDomainName'];

export const afnetworking: LibraryModel = {
  id: 'afnetworking',
  name: 'AFNetworking (from Swift)',
  family: 'swift',
  triggers: ['AFSecurityPolicy', 'allowInvalidCertificates', 'validatesDomainName', 'SSLPinningMode'],
  effects: ['acceptsAnyCertificate', 'hostNotChecked', 'chainNotValidated', 'pinsWholeCertificate'],
  trustOptions,
};

/** An assignment `holder.option = value`. */
interface Setting {
  assignment: Node;
  holder: string;
  /** The enclosing function or closure: a holder name in two functions is two policies. */
  scope?: number;
  option: string;
  value: Node;
}

function trustOptions(file: SourceFile): TrustOption[] {
  const settings = optionSettings(file);
  const policies = policySources(file, settings);
  const options: TrustOption[] = [];
  for (const source of policies) {
    if (source.mode !== 'certificate') continue;
    options.push({
      effect: 'pinsWholeCertificate', library: afnetworking.id, node: source.modeNode, level: 'note',
      message: 'AFSecurityPolicy in certificate pinning mode pins whole certificates: every renewal of a pinned certificate needs an app update first. The public key mode pins their keys, which survive renewals that keep the key.',
    });
  }
  for (const setting of settings) {
    const { holder, option, value, assignment } = setting;
    const known = policies.some((p) => p.holder === holder);
    // Another library's flag of the same name: only a policy built here or named as one.
    if (!known && !/policy/i.test(holder)) continue;
    const mode = modeOf(setting, policies);
    if (option === 'allowInvalidCertificates' && value.text === 'true') {
      const fix = setOption(value, option, 'false', ' = ');
      if (mode === 'none') {
        const domainOff = settings.some((s) => s.holder === holder && s.scope === setting.scope && s.option === 'validatesDomainName' && s.value.text === 'false');
        options.push({
          effect: 'acceptsAnyCertificate', library: afnetworking.id, node: assignment, fix,
          message: domainOff
            ? 'allowInvalidCertificates = true, without pinning and with validatesDomainName = false: AFNetworking accepts any certificate, self-signed or for another host.'
            : 'allowInvalidCertificates = true without pinning: AFNetworking ignores the trust evaluation, and older versions accept any certificate (from 2.5.2 on, with validatesDomainName left true, every server is refused instead).',
        });
      } else if (mode === 'publicKey') {
        options.push({
          effect: 'chainNotValidated', library: afnetworking.id, node: assignment, fix,
          message: 'allowInvalidCertificates = true on a policy that pins public keys: AFNetworking ignores the chain evaluation and only compares keys, so an expired, revoked or self-signed certificate that carries a pinned key passes, and the host name (checked only within that evaluation) is not checked either.',
        });
      }
    } else if (option === 'validatesDomainName' && value.text === 'false') {
      const fix = setOption(value, option, 'true', ' = ');
      options.push(mode === 'none'
        ? {
          effect: 'acceptsAnyCertificate', library: afnetworking.id, node: assignment, fix,
          message: 'validatesDomainName = false without pinning: AFNetworking evaluates the chain without the host name, so any certificate from a trusted CA, issued for any domain, is accepted.',
        }
        : {
          effect: 'hostNotChecked', library: afnetworking.id, node: assignment, fix,
          message: `validatesDomainName = false on a policy that pins ${mode === 'publicKey' ? 'public keys' : 'certificates'}: a certificate issued for any host passes as long as it carries a pin, and nothing checks that it was issued for the host connected to.`,
        });
    }
  }
  return options;
}

/** `x.allowInvalidCertificates = v`, `manager.securityPolicy.validatesDomainName = v`. */
function optionSettings(file: SourceFile): Setting[] {
  const settings: Setting[] = [];
  for (const { assignment, target, member: option, value } of swiftMemberAssignments(file, [...OPTIONS, 'SSLPinningMode'])) {
    const holder = lastName(target.childForFieldName('target'));
    if (holder) settings.push({ assignment, holder, scope: swiftEnclosingFunction(assignment)?.id, option, value });
  }
  return settings;
}

interface PolicySource {
  holder: string;
  scope?: number;
  mode: PinningMode;
  /** The mode's value, or the call when it builds the default policy. */
  modeNode: Node;
}

/** Where the file builds a policy or sets its mode, with the mode and the name that holds it. */
function policySources(file: SourceFile, settings: Setting[]): PolicySource[] {
  const sources: PolicySource[] = [];
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], ['AFSecurityPolicy'])) {
    const callee = call.namedChildren[0];
    if (!callee || !/^AFSecurityPolicy(\.(init|default|defaultPolicy))?$/.test(callee.text)) continue;
    const holder = holderOf(call);
    if (!holder) continue;
    const modeArgument = swiftArguments(call).find((a) => swiftArgumentLabel(a) === 'pinningMode');
    const modeValue = modeArgument && swiftArgumentValue(modeArgument);
    const mode = modeValue ? pinningMode(modeValue) : 'none';
    if (mode) sources.push({ holder, scope: swiftEnclosingFunction(call)?.id, mode, modeNode: modeValue ?? call });
  }
  for (const s of settings) {
    const mode = s.option === 'SSLPinningMode' ? pinningMode(s.value) : undefined;
    if (mode) sources.push({ holder: s.holder, scope: s.scope, mode, modeNode: s.value });
  }
  return sources;
}

/**
 * The policy's mode: where the same function builds or sets it, else anywhere in the file (a
 * property built once, configured in a method); a pinning mode wins over the default.
 */
function modeOf(setting: Setting, sources: PolicySource[]): PinningMode {
  const named = sources.filter((s) => s.holder === setting.holder);
  const local = named.filter((s) => s.scope === setting.scope);
  const modes = (local.length > 0 ? local : named).map((s) => s.mode);
  return modes.includes('publicKey') ? 'publicKey' : modes.includes('certificate') ? 'certificate' : 'none';
}

/** `.publicKey`, `.PublicKey`, `AFSSLPinningMode.certificate`, `AFSSLPinningModeNone`. */
function pinningMode(value: Node): PinningMode | undefined {
  const name = value.text.replace(/^.*[.]/, '').replace(/^AFSSLPinningMode/, '').toLowerCase();
  return name === 'none' ? 'none' : name === 'publickey' ? 'publicKey' : name === 'certificate' ? 'certificate' : undefined;
}

/** The name a value is stored under: `let policy = …`, `manager.securityPolicy = …`. */
function holderOf(value: Node): string | undefined {
  for (const a of ancestors(value)) {
    if (a.type === 'property_declaration') return a.childForFieldName('name')?.text.replace(/\s/g, '');
    if (a.type === 'assignment') return lastName(a.childForFieldName('target')?.namedChildren[0] ?? null);
    if (a.type === 'statements' || a.type === 'function_body' || a.type === 'lambda_literal') return undefined;
  }
  return undefined;
}

/** `manager.securityPolicy` → securityPolicy, `Inner.instance?.securityPolicy` → securityPolicy, `policy` → policy. */
function lastName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'simple_identifier') return node.text;
  if (node.type === 'navigation_expression') return node.childForFieldName('suffix')?.childForFieldName('suffix')?.text;
  if (node.type === 'postfix_expression' || node.type === 'optional_chaining_expression') return lastName(node.namedChildren[0]);
  return undefined;
}
