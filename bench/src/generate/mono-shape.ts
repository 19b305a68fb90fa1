/**
 * The first shape: a mono-repo of Flutter apps, Swift modules, Node services and web apps, whose
 * files are of everyday sizes (log-normal around 150 lines) with one main declaration each.
 */
import { Random } from '../random';
import { dartFile, type DartRole } from './dart';
import { dartPinning, swiftPinning, tsPinning } from './pinning';
import { androidLayout, androidManifest, androidStrings, infoPlist, networkSecurityConfig } from './platform';
import { logNormalLines, type Planned, type WorkspaceShape } from './shape';
import { spliceMiddle } from './splice';
import { swiftFile, type SwiftRole } from './swift';
import { tsFile, type TsFlavor, type TsRole } from './typescript';
import { ENTITIES, kebab, pascal, snake, UI_WORDS } from './vocabulary';

const PINNING_SHARE = 0.03;
/** Android layouts and string resources, on top of the code files (their count is part of `files`). */
const ANDROID_RESOURCE_SHARE = 0.1;

const DART_APPS = ['mobile', 'driver_app', 'admin_app', 'kiosk'];
const SWIFT_MODULES = ['App', 'Checkout', 'Messaging', 'Account', 'Shared'];
const TS_SERVICES = ['api-gateway', 'orders-service', 'billing-service', 'notifications', 'search'];
const TS_WEB = ['web', 'admin-web'];

/** Lines per file: log-normal around 150, between 50 and 2,000, as in app and service code. */
function lineCount(random: Random): number {
  return logNormalLines(random, 150, 0.8, 50, 2000);
}

function planDart(random: Random, index: number): Planned {
  const app = random.pick(DART_APPS);
  const entity = random.pick(ENTITIES);
  const role = random.pick<DartRole>(['model', 'model', 'repository', 'widget', 'widget', 'widget', 'controller', 'util', 'test']);
  const folder = role === 'test' ? `apps/${app}/test/features/${snake(entity)}` :
    `apps/${app}/lib/features/${snake(entity)}/${{ model: 'domain', repository: 'data', widget: 'presentation', controller: 'application', util: 'utils' }[role]}`;
  const name = role === 'test' ? `${snake(entity)}_${index}_test.dart` :
    role === 'widget' ? `${snake(entity)}_${random.pick(UI_WORDS)}_${index}.dart` : `${snake(entity)}_${role}_${index}.dart`;
  return {
    relativePath: `${folder}/${name}`,
    family: 'dart',
    make: (r, lines) => dartFile(r, role, entity, lines, app),
  };
}

function planSwift(random: Random, index: number): Planned {
  const module = random.pick(SWIFT_MODULES);
  const entity = random.pick(ENTITIES);
  const role = random.pick<SwiftRole>(['model', 'model', 'service', 'view', 'view', 'viewModel', 'util', 'test']);
  const suffix = { model: '', service: 'Service', view: 'View', viewModel: 'ViewModel', util: '+Helpers', test: 'Tests' }[role];
  const folder = role === 'test' ? `ios/${module}Tests/${pascal(entity)}` : `ios/${module}/Sources/${pascal(entity)}`;
  return {
    relativePath: `${folder}/${pascal(entity)}${suffix}${index}.swift`,
    family: 'swift',
    make: (r, lines) => swiftFile(r, role, entity, lines),
  };
}

function planTs(random: Random, index: number): Planned {
  const entity = random.pick(ENTITIES);
  const flavorRoll = random.next();
  const flavor: TsFlavor = flavorRoll < 0.55 ? 'ts' : flavorRoll < 0.75 ? 'tsx' : flavorRoll < 0.9 ? 'cjs' : 'esm';
  let role: TsRole;
  let relativePath: string;
  if (flavor === 'tsx') {
    role = 'component';
    relativePath = `${random.pick(TS_WEB)}/src/components/${kebab(entity)}/${pascal(entity, random.pick(UI_WORDS))}${index}.tsx`;
  } else if (flavor === 'cjs' && random.chance(0.4)) {
    role = 'script';
    relativePath = `scripts/${kebab(entity)}-${index}.js`;
  } else {
    role = random.pick<TsRole>(['types', 'service', 'service', 'route', 'util', 'test']);
    const base = random.chance(0.7) ? `services/${random.pick(TS_SERVICES)}/src` : `packages/${kebab(entity)}-kit/src`;
    const ext = flavor === 'ts' ? 'ts' : flavor === 'esm' ? 'mjs' : 'js';
    relativePath = `${base}/${kebab(entity)}/${kebab(entity)}-${role === 'test' ? `${index}.test` : `${role}-${index}`}.${ext}`;
  }
  return { relativePath, family: 'ts', make: (r, lines) => tsFile(r, role, flavor, entity, lines) };
}

export const MONO_SHAPE: WorkspaceShape = {
  name: 'mono',
  // The platform configs: one per Android app and iOS module; then the resources, a share of `files`.
  platformFiles(platform, files, record) {
    for (const app of DART_APPS) {
      record(`apps/${app}/android/app/src/main/AndroidManifest.xml`, androidManifest(app));
      record(`apps/${app}/android/app/src/main/res/xml/network_security_config.xml`, networkSecurityConfig(platform, app));
    }
    for (const module of SWIFT_MODULES) record(`ios/${module}/Info.plist`, infoPlist(platform, module));
    const resources = Math.round(files * ANDROID_RESOURCE_SHARE);
    for (let i = 0; i < resources; i++) {
      const r = platform.fork(`resource:${i}`);
      const res = `apps/${r.pick(DART_APPS)}/android/app/src/main/res`;
      const entity = r.pick(ENTITIES);
      const lines = Math.min(400, lineCount(r));
      if (r.chance(0.85)) record(`${res}/layout/${snake(entity)}_${r.pick(UI_WORDS)}_${i}.xml`, androidLayout(r, entity, lines));
      else record(`${res}/values-v${i}/strings.xml`, androidStrings(r, lines));
    }
  },
  plan(random, index) {
    const roll = random.next();
    return roll < 0.3 ? planDart(random, index) : roll < 0.5 ? planSwift(random, index) : planTs(random, index);
  },
  lineCount,
  pinningChance: () => PINNING_SHARE,
  noise: {
    nodeModules: ['node_modules', ...TS_SERVICES.map((s) => `services/${s}/node_modules`)],
    webBuild: TS_WEB.map((w) => `${w}/build`),
    pods: ['ios/Pods'],
    dartTool: DART_APPS.map((a) => `apps/${a}/.dart_tool`),
  },
  /** Everyday files grown to 5,000 lines, with pinning code in their middle. */
  editFile(language, seed) {
    const random = new Random(`edit:${language}:${seed}`);
    const entity = 'order';
    const lines = 5000;
    if (language === 'dart') return spliceMiddle(dartFile(random, 'repository', entity, lines - 20, 'mobile'), dartPinning(random));
    if (language === 'swift') return spliceMiddle(swiftFile(random, 'service', entity, lines - 25), swiftPinning(random));
    return spliceMiddle(tsFile(random, 'service', 'ts', entity, lines - 15), tsPinning(random, true));
  },
};
