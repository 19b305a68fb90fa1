/**
 * The host keys of Alamofire's trust managers: `ServerTrustManager(evaluators: [host: …])` (5) and
 * `ServerTrustPolicyManager(policies: [host: …])` (4 and 3) look a request's evaluator up by its
 * URL's host alone (`url.host`: no scheme, port or path). A key written as a URL or with a port
 * (`"https://api.example.com"`, a public app's) is never looked up: its pins are not in effect.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile } from '../engine/source-file';
import { swiftArgumentLabel, swiftArguments, swiftArgumentValue, swiftCalleeName, swiftLocalValue } from '../facts/swift';
import { descendantsAround, stringValue } from '../facts/tree';
import type { TrustOption } from './model';

/** What each manager does with a request whose host has no entry. */
export interface TrustManager {
  /** `ServerTrustManager` */
  name: string;
  /** `evaluators` */
  label: string;
  /** What happens to that host's requests instead. */
  unmatched: string;
}

/** Keys of the manager's dictionary literal that no host equals, each a `pinsNotEnforced` option with a fix to the host. */
export function keysThatAreNoHost(file: SourceFile, library: string, manager: TrustManager): TrustOption[] {
  const options: TrustOption[] = [];
  for (const call of descendantsAround(file.root, file.text, ['call_expression'], [manager.name])) {
    if (swiftCalleeName(call) !== manager.name) continue;
    const argument = swiftArguments(call).find((a) => swiftArgumentLabel(a) === manager.label);
    const value = argument && swiftArgumentValue(argument);
    // In place, or in a local constant the call names (`let policies = [...]`).
    const dictionary = value?.type === 'simple_identifier' ? swiftLocalValue(value) : value;
    if (dictionary?.type !== 'dictionary_literal') continue;
    const keys = dictionary.childrenForFieldName('key');
    const values = dictionary.childrenForFieldName('value');
    keys.forEach((key, i) => {
      const option = key && pins(values[i]) ? noHostKey(key, library, manager) : undefined;
      if (option) options.push(option);
    });
  }
  return options;
}

/** Whether an entry's value pins: a pinning evaluator or policy, in place or in a local constant (one we cannot read is left alone). */
function pins(value: Node | null | undefined): boolean {
  const read = value?.type === 'simple_identifier' ? swiftLocalValue(value) : value;
  return !!read && PINNING.test(read.text);
}

const PINNING = /\b(PublicKeysTrustEvaluator|PinnedCertificatesTrustEvaluator)\b|\.(pinPublicKeys|pinCertificates|PinPublicKeys|PinCertificates)\b/;

/** The option for a string key that is no host, with a fix to the host it names when there is one. */
function noHostKey(key: Node, library: string, manager: TrustManager): TrustOption | undefined {
  const written = stringValue(key);
  const host = written === undefined ? undefined : hostOf(written);
  if (!written || host === undefined || host === written) return undefined;
  const fix = host ? { title: `Key the entry by the host: "${host}"`, edits: [{ start: key.startIndex + 1, end: key.endIndex - 1, text: host }] } : undefined;
  return {
    effect: 'pinsNotEnforced', library, node: key, fix,
    message: `"${written}" is no host name: ${manager.name} looks the entry up by the request's host alone${host ? ` (${host})` : ''}, so this one is never used, and its pins are not in effect. ${manager.unmatched}`,
  };
}

/** The host a key written as a URL or `host:port` names ('' when none), or the key itself when it is a host (or a wildcard). */
function hostOf(key: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#\s]*)/i.exec(key);
  if (url) return url[1];
  const withPort = /^([^/:\s]+):\d+$/.exec(key);
  if (withPort) return withPort[1];
  return /[/\s]/.test(key) ? '' : key;
}
