import * as fs from 'node:fs';
import * as path from 'node:path';
import { Random } from '../random';
import { dartFile, type DartRole } from './dart';
import { dartPinning, swiftPinning, tsPinning, type PinningSnippet } from './pinning';
import { androidLayout, androidManifest, androidStrings, infoPlist, networkSecurityConfig } from './platform';
import { swiftFile, type SwiftRole } from './swift';
import { tsFile, type TsFlavor, type TsRole } from './typescript';
import { ENTITIES, kebab, pascal, snake, UI_WORDS } from './vocabulary';

/** Bump when the generator's output changes, so cached workspaces are made again. */
export const GENERATOR_VERSION = 5;

/** `xml`: Android resources and configs, iOS plists. */
export type Family = 'dart' | 'swift' | 'ts' | 'xml';

export interface WorkspaceManifest {
  generatorVersion: number;
  seed: string;
  /** Files the audit must read (noise not included). */
  files: number;
  bytes: number;
  lines: number;
  byFamily: Record<Family, { files: number; bytes: number }>;
  /** Files with certificate-pinning code spliced in. */
  pinningFiles: number;
  /** Files under node_modules, build, Pods, .dart_tool: every tool must skip them. */
  noiseFiles: number;
  noiseBytes: number;
}

/** Folders every tool in the benchmark skips (the scan's own list). */
export const NOISE_FOLDERS = ['node_modules', 'build', '.dart_tool', 'Pods', 'DerivedData', '.git'];

const PINNING_SHARE = 0.03;
/** Android layouts and string resources, on top of the code files (their count is part of `files`). */
const ANDROID_RESOURCE_SHARE = 0.1;
const NOISE_SHARE = 0.15;

/** Lines per file: log-normal around 150, between 50 and 2,000, as in app and service code. */
function lineCount(random: Random): number {
  return Math.round(Math.min(2000, Math.max(50, Math.exp(Math.log(150) + 0.8 * random.normal()))));
}

interface Planned {
  relativePath: string;
  family: Family;
  make: (random: Random, lines: number) => string;
}

const DART_APPS = ['mobile', 'driver_app', 'admin_app', 'kiosk'];
const SWIFT_MODULES = ['App', 'Checkout', 'Messaging', 'Account', 'Shared'];
const TS_SERVICES = ['api-gateway', 'orders-service', 'billing-service', 'notifications', 'search'];
const TS_WEB = ['web', 'admin-web'];

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

/** Splices pinning code into a file: its imports after the file's imports, its body after those. */
function splice(text: string, snippet: PinningSnippet, commonJs: boolean): string {
  let { imports, body } = snippet;
  if (commonJs) {
    imports = imports.map((l) => l.replace(/^import \* as (\w+) from ('[^']+');$/, 'const $1 = require($2);'));
    body = body.replace(/^export /gm, '');
  }
  const lines = text.split('\n');
  let at = 0;
  while (at < lines.length && /^(import |const \w+ = require|const \{[^}]*\} = require)/.test(lines[at])) at++;
  const known = new Set(lines.slice(0, at));
  const added = imports.filter((l) => !known.has(l));
  return [...lines.slice(0, at), ...added, '', ...body.split('\n'), ...lines.slice(at)].join('\n');
}

function pinningFor(random: Random, planned: Planned): PinningSnippet {
  if (planned.family === 'dart') return dartPinning(random);
  if (planned.family === 'swift') return swiftPinning(random);
  return tsPinning(random, /\.tsx?$/.test(planned.relativePath));
}

/** Dependency and build output: large, sometimes with trust-all code, never audited. */
function noiseFile(random: Random, index: number): { relativePath: string; text: string } {
  const kind = random.int(0, 4);
  const entity = random.pick(ENTITIES);
  const lines = lineCount(random);
  if (kind <= 1) {
    const pkg = `${random.pick(['http', 'tls', 'fetch', 'retry', 'cache', 'proxy'])}-${random.pick(['agent', 'utils', 'client', 'core'])}`;
    const base = kind === 0 ? `node_modules/${pkg}` : `services/${random.pick(TS_SERVICES)}/node_modules/${pkg}`;
    let text = tsFile(random, 'util', 'cjs', entity, lines);
    if (random.chance(0.2)) text = `const https = require('https');\nconst agent = new https.Agent({ rejectUnauthorized: false });\n${text}`;
    return { relativePath: `${base}/lib/${kebab(entity)}-${index}.js`, text };
  }
  if (kind === 2) {
    return { relativePath: `${random.pick(TS_WEB)}/build/static/js/chunk-${index}.js`, text: tsFile(random, 'util', 'esm', entity, lines) };
  }
  if (kind === 3) {
    return { relativePath: `ios/Pods/Vendor${index % 7}/Sources/${pascal(entity)}${index}.swift`, text: swiftFile(random, 'service', entity, lines) };
  }
  return {
    relativePath: `apps/${random.pick(DART_APPS)}/.dart_tool/build/generated/${snake(entity)}_${index}.g.dart`,
    text: dartFile(random, 'model', entity, lines, 'generated'),
  };
}

/** Writes the workspace under `dir` (replacing what is there) and returns its manifest. */
export function generateWorkspace(dir: string, files: number, seed: string): WorkspaceManifest {
  fs.rmSync(dir, { recursive: true, force: true });
  const random = new Random(`workspace:${seed}`);
  const manifest: WorkspaceManifest = {
    generatorVersion: GENERATOR_VERSION, seed, files, bytes: 0, lines: 0,
    byFamily: { dart: { files: 0, bytes: 0 }, swift: { files: 0, bytes: 0 }, ts: { files: 0, bytes: 0 }, xml: { files: 0, bytes: 0 } },
    pinningFiles: 0, noiseFiles: 0, noiseBytes: 0,
  };
  const write = (relativePath: string, text: string) => {
    const file = path.join(dir, relativePath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return Buffer.byteLength(text);
  };
  const recordXml = (relativePath: string, text: string) => {
    const bytes = write(relativePath, text);
    manifest.bytes += bytes;
    manifest.lines += text.split('\n').length - 1;
    manifest.byFamily.xml.files++;
    manifest.byFamily.xml.bytes += bytes;
  };
  // The platform configs: one per Android app and iOS module; then the resources, a share of `files`.
  const platform = random.fork('platform');
  for (const app of DART_APPS) {
    recordXml(`apps/${app}/android/app/src/main/AndroidManifest.xml`, androidManifest(app));
    recordXml(`apps/${app}/android/app/src/main/res/xml/network_security_config.xml`, networkSecurityConfig(platform, app));
  }
  for (const module of SWIFT_MODULES) recordXml(`ios/${module}/Info.plist`, infoPlist(platform, module));
  const resources = Math.round(files * ANDROID_RESOURCE_SHARE);
  for (let i = 0; i < resources; i++) {
    const r = platform.fork(`resource:${i}`);
    const res = `apps/${r.pick(DART_APPS)}/android/app/src/main/res`;
    const entity = r.pick(ENTITIES);
    const lines = Math.min(400, lineCount(r));
    if (r.chance(0.85)) recordXml(`${res}/layout/${snake(entity)}_${r.pick(UI_WORDS)}_${i}.xml`, androidLayout(r, entity, lines));
    else recordXml(`${res}/values-v${i}/strings.xml`, androidStrings(r, lines));
  }
  const codeFiles = files - manifest.byFamily.xml.files;
  for (let i = 0; i < codeFiles; i++) {
    const roll = random.next();
    const planned = roll < 0.3 ? planDart(random, i) : roll < 0.5 ? planSwift(random, i) : planTs(random, i);
    const fileRandom = random.fork(planned.relativePath);
    let text = planned.make(fileRandom, lineCount(fileRandom));
    if (fileRandom.chance(PINNING_SHARE)) {
      text = splice(text, pinningFor(fileRandom, planned), planned.relativePath.endsWith('.js') && /require\(/.test(text));
      manifest.pinningFiles++;
    }
    const bytes = write(planned.relativePath, text);
    manifest.bytes += bytes;
    manifest.lines += text.split('\n').length - 1;
    manifest.byFamily[planned.family].files++;
    manifest.byFamily[planned.family].bytes += bytes;
  }
  const noise = Math.round(files * NOISE_SHARE);
  for (let i = 0; i < noise; i++) {
    const { relativePath, text } = noiseFile(random.fork(`noise:${i}`), i);
    manifest.noiseBytes += write(relativePath, text);
    manifest.noiseFiles++;
  }
  fs.writeFileSync(path.join(dir, '.bench-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The cached workspace when it was made by this generator with these parameters; otherwise a new one. */
export function ensureWorkspace(dir: string, files: number, seed: string): { manifest: WorkspaceManifest; generated: boolean } {
  try {
    const cached = JSON.parse(fs.readFileSync(path.join(dir, '.bench-manifest.json'), 'utf8')) as WorkspaceManifest;
    if (cached.generatorVersion === GENERATOR_VERSION && cached.files === files && cached.seed === seed) {
      return { manifest: cached, generated: false };
    }
  } catch {
    // No usable cache: generate.
  }
  return { manifest: generateWorkspace(dir, files, seed), generated: true };
}

export type EditLanguage = 'dart' | 'swift' | 'typescript';

/** A 5,000-line file per language with pinning code in its middle, for the edit-latency runs. */
export function editFile(language: EditLanguage, seed: string, lines = 5000): string {
  const random = new Random(`edit:${language}:${seed}`);
  const entity = 'order';
  if (language === 'dart') {
    const text = dartFile(random, 'repository', entity, lines - 20, 'mobile');
    return spliceMiddle(text, dartPinning(random));
  }
  if (language === 'swift') return spliceMiddle(swiftFile(random, 'service', entity, lines - 25), swiftPinning(random));
  return spliceMiddle(tsFile(random, 'service', 'ts', entity, lines - 15), tsPinning(random, true));
}

/** Pinning code at the top level half way down (after a blank line between declarations). */
function spliceMiddle(text: string, snippet: PinningSnippet): string {
  const lines = text.split('\n');
  let at = Math.floor(lines.length / 2);
  while (at < lines.length && !(lines[at] === '' && /^[})]/.test(lines[at - 1] ?? ''))) at++;
  const importsEnd = lines.findIndex((l) => l !== '' && !l.startsWith('import '));
  const head = lines.slice(0, importsEnd);
  const known = new Set(head);
  return [
    ...head, ...snippet.imports.filter((l) => !known.has(l)), ...lines.slice(importsEnd, at), '', ...snippet.body.split('\n'), ...lines.slice(at),
  ].join('\n');
}
