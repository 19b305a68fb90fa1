import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Range } from 'vscode-languageserver-protocol/node';
import { Random } from '../random';
import { max, median, percentile } from '../stats';
import { LspSession } from './lsp-session';

export const EDIT_FILES = [
  { language: 'dart', languageId: 'dart', file: 'orders_repository.dart' },
  { language: 'swift', languageId: 'swift', file: 'OrdersService.swift' },
  { language: 'typescript', languageId: 'typescript', file: 'orders-service.ts' },
] as const;

export interface LatencySummary {
  edits: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Every latency, in edit order. */
  samplesMs: number[];
}

/**
 * `count` single-character edits, each awaited before the next: an insertion at a random
 * spot of a random line, then its deletion, so the text keeps returning to valid code.
 */
export function* singleCharacterEdits(text: string, count: number, seed: string): Generator<{ range: Range; text: string }> {
  const lines = text.split('\n');
  const random = new Random(`edits:${seed}`);
  for (let i = 0; i < count; i += 2) {
    let line = random.int(0, lines.length - 1);
    while (lines[line].trim() === '') line = (line + 1) % lines.length;
    const character = random.int(lines[line].length - lines[line].trimStart().length, lines[line].length);
    yield { range: { start: { line, character }, end: { line, character } }, text: random.pick(['a', 'x', '_', '1', ' ']) };
    if (i + 1 < count) yield { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' };
  }
}

/** Sends the edits to an open document and times each didChange → publishDiagnostics of its version. */
export async function timeEdits(session: LspSession, uri: string, text: string, count: number, seed: string): Promise<number[]> {
  const latencies: number[] = [];
  for (const edit of singleCharacterEdits(text, count, seed)) {
    const { version, sentAt } = await session.change(uri, edit.range, edit.text);
    const { at } = await session.diagnosticsFor(uri, version);
    latencies.push(at - sentAt);
  }
  return latencies;
}

/**
 * One server on the folder of the 5,000-line files; per language, one file opened and `edits`
 * edits. `execArgv`: node flags for the server (a CPU profile).
 */
export async function measureEditLatency(serverBundle: string, editDir: string, edits: number, execArgv: string[] = []): Promise<Record<string, LatencySummary>> {
  const results: Record<string, LatencySummary> = {};
  const session = new LspSession(serverBundle, execArgv);
  try {
    await session.initialize(editDir);
    await session.waitFor('the initial folder scan', () => session.progressEnds > 0);
    // One file after the other; a file stays open (closing it would start an audit from disk).
    for (const { language, languageId, file } of EDIT_FILES) {
      const filePath = path.join(editDir, file);
      const text = fs.readFileSync(filePath, 'utf8');
      const uri = await session.open(filePath, languageId, text);
      await session.diagnosticsFor(uri, 1);
      const samples = await timeEdits(session, uri, text, edits, language);
      results[language] = { edits: samples.length, p50Ms: median(samples), p95Ms: percentile(samples, 95), maxMs: max(samples), samplesMs: samples };
    }
  } finally {
    await session.stop();
  }
  return results;
}
