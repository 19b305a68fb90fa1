/**
 * The library models, and what rules ask of them. One file per library (CodeQL keeps one model
 * per framework): "where is Alamofire handled?" is `libraries/alamofire.ts`. A new library is
 * one new file here, listed below, plus its fixtures.
 */
import { FAMILIES, type Family } from '../engine/languages';
import type { SourceFile } from '../engine/source-file';
import type { RuleContext } from '../engine/rule';
import type { TriggerList, RuleMeta } from '../engine/types';
import { alamofire } from './alamofire';
import { afnetworking } from './afnetworking';
import { alamofire4 } from './alamofire4';
import { sectrust } from './sectrust';
import { starscream } from './starscream';
import { grpc } from './grpc';
import { httpCertificatePinning } from './http-certificate-pinning';
import { iosAtsConfig } from './ios-ats-config';
import { nodeTls } from './node-tls';
import { reactNativeSslPinning } from './react-native-ssl-pinning';
import { reactNativeSslPublicKeyPinning } from './react-native-ssl-public-key-pinning';
import { trustkit } from './trustkit';
import { urlsession } from './urlsession';
import type { LibraryModel, PinSetClaim, TrustEffect, TrustOption } from './model';

export type { LibraryModel, PinSetClaim, TrustEffect, TrustOption } from './model';

/** Every model, in the order docs/libraries.md lists them. */
export const LIBRARY_MODELS: readonly LibraryModel[] = [
  alamofire,
  alamofire4,
  trustkit,
  afnetworking,
  sectrust,
  urlsession,
  starscream,
  httpCertificatePinning,
  grpc,
  nodeTls,
  reactNativeSslPinning,
  reactNativeSslPublicKeyPinning,
  iosAtsConfig,
];

function modelsFor(family: Family): LibraryModel[] {
  return LIBRARY_MODELS.filter((m) => m.family === family);
}

/** The trust options the file's libraries set, of one effect, in document order. */
export function trustOptions(file: SourceFile, effect: TrustEffect): TrustOption[] {
  const all = file.fact('libraries.trustOptions', () =>
    modelsFor(file.family)
      .flatMap((m) => m.trustOptions?.(file) ?? [])
      .sort((a, b) => a.node.startIndex - b.node.startIndex));
  return all.filter((o) => o.effect === effect);
}

/** The collections the file's libraries read as pins. */
export function pinSetClaims(file: SourceFile): PinSetClaim[] {
  return file.fact('libraries.pinSetClaims', () => modelsFor(file.family).flatMap((m) => m.pinSets?.(file) ?? []));
}

/** The languages some model reports `effect` in: a rule fed only by models checks those. */
export function familiesWithEffect(effect: TrustEffect): Family[] {
  return FAMILIES.filter((f) => modelsFor(f).some((m) => m.effects.includes(effect)));
}

/**
 * A rule's triggers with the words of the models that feed it (by `effect`, or all that claim
 * pin sets for `'pinSets'`), per language.
 */
export function withLibraryTriggers(base: RuleMeta['triggers'], feed: TrustEffect | 'pinSets'): Partial<Record<Family, TriggerList>> {
  const perFamily: Partial<Record<Family, TriggerList>> = {};
  for (const family of FAMILIES) {
    const own = !base ? [] : Array.isArray(base) ? base as TriggerList : (base as Partial<Record<Family, TriggerList>>)[family] ?? [];
    const words = [...own, ...libraryWords(family, feed)];
    // An empty list would always match: a language with no words keeps none (its check is absent).
    if (words.length > 0) perFamily[family] = words;
  }
  return perFamily;
}

/** The words of the models of `family` that feed `feed`. */
export function libraryWords(family: Family, feed: TrustEffect | 'pinSets'): string[] {
  const feeds = (m: LibraryModel) => (feed === 'pinSets' ? !!m.pinSets : m.effects.includes(feed));
  return [...new Set(modelsFor(family).filter(feeds).flatMap((m) => m.triggers))];
}

/** The rule each effect is a finding of: rules report the options, fixes find them again by it. */
export const RULE_OF_EFFECT: Readonly<Record<TrustEffect, string>> = {
  acceptsAnyCertificate: 'trust-all-certificates',
  hostNotChecked: 'pin-check-ignores-host',
  chainNotValidated: 'chain-validation-disabled',
  pinsNotEnforced: 'pinning-not-enforced',
  pinsWholeCertificate: 'full-certificate-hash',
};

/** The fix kind of a finding about a library option: `fixes/library-options.ts` finds the option again. */
export const LIBRARY_OPTION_FIX = 'libraryOption';

/** Reports every option of `effect` in the file, at the option's level when the model sets one. */
export function reportTrustOptions(context: RuleContext, effect: TrustEffect): void {
  for (const option of trustOptions(context.file, effect)) {
    context.report(option.node, option.message, { level: option.level, data: option.fix ? { fix: LIBRARY_OPTION_FIX } : undefined });
  }
}
