import * as fs from 'node:fs';
import * as path from 'node:path';
import { EDIT_FILES, singleCharacterEdits } from './edit-latency';
import { LspSession } from './lsp-session';

const MEMORY_EDIT_BURST = 20;

export interface ServerMemoryResult {
  /** Initialized → the scan's work-done progress `end`. */
  scanMs: number;
  afterScanRssMiB: number;
  afterScanPeakRssMiB: number;
  edits: number;
  afterEditsRssMiB: number;
  afterEditsPeakRssMiB: number;
  /** Files the scan published diagnostics for. */
  filesWithDiagnostics: number;
}

/** The server with the generated workspace as its root: RSS once its scan ended, and after `edits` edits. */
export async function measureServerMemory(serverBundle: string, workspace: string, editDir: string, edits: number): Promise<ServerMemoryResult> {
  const session = new LspSession(serverBundle);
  try {
    await session.initialize(workspace);
    const started = performance.now();
    await session.waitFor('the workspace scan to end', () => session.progressEnds > 0);
    const scanMs = performance.now() - started;
    const afterScan = session.memory();
    const filesWithDiagnostics = session.published.filter((p) => p.diagnostics.length > 0).length;

    // The 5,000-line files open side by side, edits spread over them in turn.
    const perFile = Math.ceil(edits / EDIT_FILES.length);
    let done = 0;
    const opened = [];
    for (const { languageId, file } of EDIT_FILES) {
      const filePath = path.join(editDir, file);
      const text = fs.readFileSync(filePath, 'utf8');
      const uri = await session.open(filePath, languageId, text);
      await session.diagnosticsFor(uri, 1);
      opened.push({ uri, text });
    }
    // Typing in bursts: twenty edits, then the diagnostics of the last one (the server analyzes
    // a burst once), so 1,000 edits take seconds, not minutes, and every tree is replaced.
    for (const [i, { uri, text }] of opened.entries()) {
      const count = Math.min(perFile, edits - done);
      let burst = 0;
      let version = 1;
      for (const edit of singleCharacterEdits(text, count, `memory:${i}`)) {
        version = (await session.change(uri, edit.range, edit.text)).version;
        done++;
        if (++burst === MEMORY_EDIT_BURST) {
          await session.diagnosticsFor(uri, version);
          burst = 0;
        }
      }
      await session.diagnosticsFor(uri, version);
    }
    const afterEdits = session.memory();
    return {
      scanMs,
      afterScanRssMiB: afterScan.rssMiB,
      afterScanPeakRssMiB: afterScan.peakRssMiB,
      edits: done,
      afterEditsRssMiB: afterEdits.rssMiB,
      afterEditsPeakRssMiB: afterEdits.peakRssMiB,
      filesWithDiagnostics,
    };
  } finally {
    await session.stop();
  }
}
