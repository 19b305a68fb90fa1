import * as fs from 'node:fs';
import * as path from 'node:path';
import { median } from '../stats';
import { LspSession } from './lsp-session';

export interface ColdStartResult {
  runs: number[];
  ms: number;
  /** Findings in the first publication: the file has one, so 0 would mean nothing was audited. */
  diagnostics: number;
}

const FILE = "import * as https from 'node:https';\n\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n";

/** Process spawn → first publishDiagnostics for one opened file, in a folder holding just that file. */
export async function measureColdStart(serverBundle: string, dir: string, runs: number): Promise<ColdStartResult> {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  const filePath = path.join(dir, 'src', 'agent.ts');
  fs.writeFileSync(filePath, FILE);
  const samples: number[] = [];
  let diagnostics = 0;
  for (let i = 0; i < runs; i++) {
    const session = new LspSession(serverBundle);
    try {
      await session.initialize(dir);
      const uri = await session.open(filePath, 'typescript', FILE);
      const { params, at } = await session.diagnosticsFor(uri, 1);
      samples.push(at - session.spawnedAt);
      diagnostics = params.diagnostics.length;
    } finally {
      await session.stop();
    }
  }
  return { runs: samples, ms: median(samples), diagnostics };
}
