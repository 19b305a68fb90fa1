import { SHAPES, type ShapeName } from './generate/shape';

export const SECTIONS = ['scan', 'warm', 'rg', 'eslint', 'edits', 'memory', 'cold', 'empty'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  /** Workspace shapes to measure, in order; ESLint and the server's memory are measured on `mono` only. */
  shapes: ShapeName[];
  files: number;
  seed: string;
  /** Timed runs per measurement (the median is reported). */
  runs: number;
  /** Undefined: 3, or 1 when the TS/JS part is so large that one run takes minutes. */
  eslintRuns?: number;
  edits: number;
  memoryEdits: number;
  /** Also written as bench/results/<label>.json, e.g. `before` and `after`. */
  label?: string;
  skip: Set<Section>;
}

export const USAGE = `npm run bench -- [options]

  --shape S          workspace shape: mono (everyday files of a mono-repo), app (real apps'
                     large one-class files), or both (default); ESLint and the server's memory
                     are measured on mono only
  --files N          generated files the audit reads, per shape (default 10000; noise comes on top)
  --seed S           generator seed (default pinning-audit)
  --runs N           timed runs of the scans (cold, warm, empty folder), rg and cold start; the
                     median is reported (default 5)
  --eslint-runs N    timed ESLint runs; the median is reported (default 3: one run on the
                     default 5,000 TS/JS files takes 40–60 s)
  --edits N          single-character edits per language and shape for edit latency (default 200)
  --memory-edits N   edits before the second server memory reading, sent in bursts of 20
                     (default 1000)
  --label NAME       also write bench/results/NAME.json
  --skip LIST        leave out some of: ${SECTIONS.join(', ')}
`;

export function parseOptions(args: readonly string[]): BenchOptions {
  const options: BenchOptions = { shapes: [...SHAPES], files: 10_000, seed: 'pinning-audit', runs: 5, edits: 200, memoryEdits: 1000, skip: new Set() };
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`${name} needs a value\n\n${USAGE}`);
      return v;
    };
    const count = (min: number) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}`);
      return n;
    };
    switch (name) {
      case '--shape': {
        const shape = value();
        if (shape !== 'both' && !(SHAPES as readonly string[]).includes(shape)) throw new Error(`--shape: unknown shape '${shape}' (${SHAPES.join(', ')}, both)`);
        options.shapes = shape === 'both' ? [...SHAPES] : [shape as ShapeName];
        break;
      }
      case '--files': options.files = count(10); break;
      case '--seed': options.seed = value(); break;
      case '--runs': options.runs = count(1); break;
      case '--eslint-runs': options.eslintRuns = count(1); break;
      case '--edits': options.edits = count(2); break;
      case '--memory-edits': options.memoryEdits = count(0); break;
      case '--label': options.label = value(); break;
      case '--skip':
        for (const s of value().split(',')) {
          if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--skip: unknown section '${s}' (${SECTIONS.join(', ')})`);
          options.skip.add(s as Section);
        }
        break;
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        process.exit(0);
      default:
        throw new Error(`unknown option ${name}\n\n${USAGE}`);
    }
  }
  return options;
}
