import type { Random } from '../random';

/** `mono`: services, web and mobile apps of everyday files; `app`: real apps' large one-class files (see bench/README.md). */
export const SHAPES = ['mono', 'app'] as const;
export type ShapeName = (typeof SHAPES)[number];

/** `xml`: Android resources and configs, iOS plists. */
export type Family = 'dart' | 'swift' | 'ts' | 'xml';

export type EditLanguage = 'dart' | 'swift' | 'typescript';

export interface Planned {
  relativePath: string;
  family: Family;
  make: (random: Random, lines: number) => string;
}

/** Where a shape's dependency and build output goes (folders every tool skips). */
export interface NoisePlaces {
  nodeModules: readonly string[];
  webBuild: readonly string[];
  pods: readonly string[];
  dartTool: readonly string[];
}

/** What one workspace shape generates; `workspace.ts` writes it and counts it. */
export interface WorkspaceShape {
  name: ShapeName;
  /** Platform configs and Android resources (part of `files`), written through `record`. */
  platformFiles(random: Random, files: number, record: (relativePath: string, text: string) => void): void;
  /** One code file. */
  plan(random: Random, index: number): Planned;
  lineCount(random: Random): number;
  /** The chance that a file of `lines` lines gets pinning code spliced in at its top. */
  pinningChance(lines: number): number;
  noise: NoisePlaces;
  /** A 5,000-line file of `language` with pinning code, for the editor measurements. */
  editFile(language: EditLanguage, seed: string): string;
}

/** Lines per file: log-normal around `median`, between `min` and `max`. */
export function logNormalLines(random: Random, median: number, sigma: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, Math.exp(Math.log(median) + sigma * random.normal()))));
}
