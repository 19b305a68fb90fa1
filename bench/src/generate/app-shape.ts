/**
 * The second shape, modelled on a real mono-repo of a Flutter app, a React Native app and two
 * Swift projects: fewer, larger files (log-normal around 220 lines, up to 5,000), each one class
 * of many members with string interpolation on most lines; the files of some entities use names
 * that hold pin, hash or cert without being pin sets (`passwordHash`, `pinCode`, `certificateUrl`);
 * pinning code sits at the top of large files.
 */
import { Random } from '../random';
import { dartAppFile, type DartAppRole } from './app-dart';
import { swiftAppFile, type SwiftAppRole } from './app-swift';
import { tsAppFile, type TsAppRole } from './app-typescript';
import { dartPinning, swiftPinning, tsPinning } from './pinning';
import { androidLayout, androidManifest, androidStrings, infoPlist, networkSecurityConfig, plainInfoPlist } from './platform';
import { logNormalLines, type Planned, type WorkspaceShape } from './shape';
import { splice } from './splice';
import { ENTITIES, kebab, LOOKALIKES, pascal, snake, UI_LABELS, UI_WORDS } from './vocabulary';

/** Pinning code goes into this share of the files of at least `PINNED_FILE_LINES` lines (about 3 % of all). */
const PINNING_SHARE_OF_LARGE = 0.33;
const PINNED_FILE_LINES = 800;
const ANDROID_RESOURCE_SHARE = 0.1;
const EDIT_FILE_LINES = 5000;
/**
 * The share of code files about an entity with look-alike names (`passwordHash`, `pinCode`…):
 * in the real mono-repo 255 of 6,199 files (4 %) held such a name that passes the pin-set
 * confirmation; a first version of this shape gave a third of the files one, and 35 % of the
 * files were parse candidates against that repository's 5 %.
 */
const LOOKALIKE_FILE_SHARE = 0.06;
const LOOKALIKE_ENTITIES = ENTITIES.filter((e) => e in LOOKALIKES);
const PLAIN_ENTITIES = ENTITIES.filter((e) => !(e in LOOKALIKES));

const FLUTTER = 'apps/flutter_app';
const REACT_NATIVE = 'apps/rn_app';
/** The two Swift projects and their targets (each target has an Info.plist). */
const SWIFT_PROJECTS = { ShopKit: ['ShopKit', 'ShopKitWidgets', 'ShopKitTests'], WalletApp: ['WalletApp', 'WalletNotificationService', 'WalletAppTests'] };

/** The entity of a code file: one with look-alike names for `LOOKALIKE_FILE_SHARE` of the files. */
function entityOf(random: Random): string {
  return random.pick(random.chance(LOOKALIKE_FILE_SHARE) ? LOOKALIKE_ENTITIES : PLAIN_ENTITIES);
}

function lineCount(random: Random): number {
  return logNormalLines(random, 220, 1, 40, EDIT_FILE_LINES);
}

function planDart(random: Random, index: number): Planned {
  const entity = entityOf(random);
  const role = random.pick<DartAppRole>(['screen', 'screen', 'controller', 'controller', 'repository']);
  const folder = { screen: 'presentation', controller: 'application', repository: 'data' }[role];
  return {
    relativePath: `${FLUTTER}/lib/features/${snake(entity)}/${folder}/${snake(entity)}_${role}_${index}.dart`,
    family: 'dart',
    make: (r, lines) => dartAppFile(r, role, entity, lines, 'flutter_app'),
  };
}

function planTs(random: Random, index: number): Planned {
  const entity = entityOf(random);
  const role = random.pick<TsAppRole>(['screen', 'screen', 'store', 'service']);
  const relativePath = role === 'screen' ? `${REACT_NATIVE}/src/screens/${kebab(entity)}/${pascal(entity)}Screen${index}.tsx` :
    `${REACT_NATIVE}/src/${role}s/${kebab(entity)}-${role}-${index}.ts`;
  return { relativePath, family: 'ts', make: (r, lines) => tsAppFile(r, role, entity, lines) };
}

function planSwift(random: Random, index: number): Planned {
  const project = random.pick(Object.keys(SWIFT_PROJECTS));
  const entity = entityOf(random);
  const role = random.pick<SwiftAppRole>(['viewModel', 'viewModel', 'viewController', 'service']);
  return {
    relativePath: `ios/${project}/${project}/${pascal(entity)}/${pascal(entity)}${pascal(role)}${index}.swift`,
    family: 'swift',
    make: (r, lines) => swiftAppFile(r, role, entity, lines),
  };
}

export const APP_SHAPE: WorkspaceShape = {
  name: 'app',
  // Each Android app's manifest and resources, one pinning network security config (the Flutter
  // app's); each iOS target's Info.plist, one of them with NSPinnedDomains.
  platformFiles(platform, files, record) {
    const android = [`${FLUTTER}/android`, `${REACT_NATIVE}/android`];
    for (const app of android) record(`${app}/app/src/main/AndroidManifest.xml`, androidManifest(app.split('/')[1]));
    record(`${android[0]}/app/src/main/res/xml/network_security_config.xml`, networkSecurityConfig(platform, 'flutter_app'));
    record(`${FLUTTER}/ios/Runner/Info.plist`, plainInfoPlist(platform, 'Runner'));
    record(`${REACT_NATIVE}/ios/RnApp/Info.plist`, plainInfoPlist(platform, 'RnApp'));
    for (const [project, targets] of Object.entries(SWIFT_PROJECTS)) {
      for (const target of targets) {
        record(`ios/${project}/${target}/Info.plist`, target === 'WalletApp' ? infoPlist(platform, target) : plainInfoPlist(platform, target));
      }
    }
    const resources = Math.round(files * ANDROID_RESOURCE_SHARE);
    for (let i = 0; i < resources; i++) {
      const r = platform.fork(`resource:${i}`);
      const res = `${r.pick(android)}/app/src/main/res`;
      const entity = r.pick(ENTITIES);
      const lines = Math.min(600, lineCount(r));
      if (r.chance(0.7)) record(`${res}/layout/${snake(entity)}_${r.pick(UI_WORDS)}_${i}.xml`, androidLayout(r, entity, lines));
      else record(`${res}/values-v${i}/strings.xml`, androidStrings(r, lines, UI_LABELS));
    }
  },
  plan(random, index) {
    const roll = random.next();
    return roll < 0.4 ? planDart(random, index) : roll < 0.7 ? planTs(random, index) : planSwift(random, index);
  },
  lineCount,
  pinningChance: (lines) => (lines >= PINNED_FILE_LINES ? PINNING_SHARE_OF_LARGE : 0),
  noise: {
    nodeModules: [`${REACT_NATIVE}/node_modules`],
    webBuild: [`${REACT_NATIVE}/android/app/build`, `${FLUTTER}/build`],
    pods: Object.keys(SWIFT_PROJECTS).map((p) => `ios/${p}/Pods`).concat(`${REACT_NATIVE}/ios/Pods`),
    dartTool: [`${FLUTTER}/.dart_tool`],
  },
  /** One class of about 600 members (Dart), with pinning code at the top, as in the shape's large files. */
  editFile(language, seed) {
    const random = new Random(`edit:app:${language}:${seed}`);
    const entity = 'account';
    if (language === 'dart') return splice(dartAppFile(random, 'controller', entity, EDIT_FILE_LINES - 20, 'flutter_app'), dartPinning(random), false);
    if (language === 'swift') return splice(swiftAppFile(random, 'viewModel', entity, EDIT_FILE_LINES - 25), swiftPinning(random), false);
    return splice(tsAppFile(random, 'store', entity, EDIT_FILE_LINES - 15), tsPinning(random, true), false);
  },
};
