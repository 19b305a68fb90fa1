import * as fs from 'node:fs';
import * as path from 'node:path';
import { Random } from '../random';
import { APP_SHAPE } from './app-shape';
import { dartFile } from './dart';
import { MONO_SHAPE } from './mono-shape';
import { pinningFor } from './pinning';
import type { EditLanguage, Family, NoisePlaces, ShapeName, WorkspaceShape } from './shape';
import { splice } from './splice';
import { swiftFile } from './swift';
import { tsFile } from './typescript';
import { ENTITIES, kebab, pascal, snake } from './vocabulary';

export type { EditLanguage, Family, ShapeName } from './shape';

/** Bump when the generator's output changes, so cached workspaces are made again. */
export const GENERATOR_VERSION = 7;

const SHAPE_BY_NAME: Record<ShapeName, WorkspaceShape> = { mono: MONO_SHAPE, app: APP_SHAPE };

export interface WorkspaceManifest {
  generatorVersion: number;
  shape: ShapeName;
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

const NOISE_SHARE = 0.15;

/** Dependency and build output: large, sometimes with trust-all code, never audited. */
function noiseFile(random: Random, index: number, places: NoisePlaces, lineCount: (random: Random) => number): { relativePath: string; text: string } {
  const kind = random.int(0, 4);
  const entity = random.pick(ENTITIES);
  const lines = lineCount(random);
  if (kind <= 1) {
    const pkg = `${random.pick(['http', 'tls', 'fetch', 'retry', 'cache', 'proxy'])}-${random.pick(['agent', 'utils', 'client', 'core'])}`;
    let text = tsFile(random, 'util', 'cjs', entity, lines);
    if (random.chance(0.2)) text = `const https = require('https');\nconst agent = new https.Agent({ rejectUnauthorized: false });\n${text}`;
    return { relativePath: `${random.pick(places.nodeModules)}/${pkg}/lib/${kebab(entity)}-${index}.js`, text };
  }
  if (kind === 2) {
    return { relativePath: `${random.pick(places.webBuild)}/static/js/chunk-${index}.js`, text: tsFile(random, 'util', 'esm', entity, lines) };
  }
  if (kind === 3) {
    return { relativePath: `${random.pick(places.pods)}/Vendor${index % 7}/Sources/${pascal(entity)}${index}.swift`, text: swiftFile(random, 'service', entity, lines) };
  }
  return {
    relativePath: `${random.pick(places.dartTool)}/build/generated/${snake(entity)}_${index}.g.dart`,
    text: dartFile(random, 'model', entity, lines, 'generated'),
  };
}

/** Writes the workspace of `shape` under `dir` (replacing what is there) and returns its manifest. */
export function generateWorkspace(dir: string, shapeName: ShapeName, files: number, seed: string): WorkspaceManifest {
  fs.rmSync(dir, { recursive: true, force: true });
  const shape = SHAPE_BY_NAME[shapeName];
  // The first shape keeps the seed it always had, so its files stay what they were.
  const random = new Random(shapeName === 'mono' ? `workspace:${seed}` : `workspace:${shapeName}:${seed}`);
  const manifest: WorkspaceManifest = {
    generatorVersion: GENERATOR_VERSION, shape: shapeName, seed, files, bytes: 0, lines: 0,
    byFamily: { dart: { files: 0, bytes: 0 }, swift: { files: 0, bytes: 0 }, ts: { files: 0, bytes: 0 }, xml: { files: 0, bytes: 0 } },
    pinningFiles: 0, noiseFiles: 0, noiseBytes: 0,
  };
  const write = (relativePath: string, text: string) => {
    const file = path.join(dir, relativePath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return Buffer.byteLength(text);
  };
  const record = (relativePath: string, family: Family, text: string) => {
    const bytes = write(relativePath, text);
    manifest.bytes += bytes;
    manifest.lines += text.split('\n').length - 1;
    manifest.byFamily[family].files++;
    manifest.byFamily[family].bytes += bytes;
  };
  shape.platformFiles(random.fork('platform'), files, (relativePath, text) => record(relativePath, 'xml', text));
  const codeFiles = files - manifest.byFamily.xml.files;
  for (let i = 0; i < codeFiles; i++) {
    const planned = shape.plan(random, i);
    const fileRandom = random.fork(planned.relativePath);
    const lines = shape.lineCount(fileRandom);
    let text = planned.make(fileRandom, lines);
    if (fileRandom.chance(shape.pinningChance(lines))) {
      text = splice(text, pinningFor(fileRandom, planned.relativePath), planned.relativePath.endsWith('.js') && /require\(/.test(text));
      manifest.pinningFiles++;
    }
    record(planned.relativePath, planned.family, text);
  }
  const noise = Math.round(files * NOISE_SHARE);
  for (let i = 0; i < noise; i++) {
    const { relativePath, text } = noiseFile(random.fork(`noise:${i}`), i, shape.noise, shape.lineCount);
    manifest.noiseBytes += write(relativePath, text);
    manifest.noiseFiles++;
  }
  fs.writeFileSync(path.join(dir, '.bench-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The cached workspace when it was made by this generator with these parameters; otherwise a new one. */
export function ensureWorkspace(dir: string, shape: ShapeName, files: number, seed: string): { manifest: WorkspaceManifest; generated: boolean } {
  try {
    const cached = JSON.parse(fs.readFileSync(path.join(dir, '.bench-manifest.json'), 'utf8')) as WorkspaceManifest;
    if (cached.generatorVersion === GENERATOR_VERSION && cached.shape === shape && cached.files === files && cached.seed === seed) {
      return { manifest: cached, generated: false };
    }
  } catch {
    // No usable cache: generate.
  }
  return { manifest: generateWorkspace(dir, shape, files, seed), generated: true };
}

/** The 5,000-line file of `language` in `shape`, for the edit-latency runs. */
export function editFile(shape: ShapeName, language: EditLanguage, seed: string): string {
  return SHAPE_BY_NAME[shape].editFile(language, seed);
}
