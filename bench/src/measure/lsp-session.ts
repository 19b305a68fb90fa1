/**
 * The built language server (dist/server.js --stdio) as the benchmark drives it: the protocol
 * tests' client (spawn, answers to the server's requests, waits without sleeps), plus what the
 * benchmark reads off it: when each publication arrived, versioned edits, and memory.
 */
import * as fs from 'node:fs';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { LspTestClient, uriOf } from '../../../test/protocol/lsp-client';

export { uriOf };

/** A scan of 10,000 files, or 1,000 edits, can take minutes: a deadline, not a sleep. */
const WAIT_LIMIT_MS = 600_000;

export class LspSession {
  /** performance.now() just before the process was spawned. */
  readonly spawnedAt: number;
  private readonly client: LspTestClient;
  private readonly versions = new Map<string, number>();

  constructor(serverBundle: string, execArgv: string[] = []) {
    this.spawnedAt = performance.now();
    this.client = new LspTestClient({ serverBundle, execArgv });
  }

  get pid(): number {
    return this.client.pid;
  }

  /** Work-done progress `end`s seen so far (the workspace scan reports one when it finishes). */
  get progressEnds(): number {
    return this.client.progress.filter((p) => p.kind === 'end').length;
  }

  /** The latest publication per URI. */
  get published(): PublishDiagnosticsParams[] {
    return [...this.client.diagnostics.values()];
  }

  async initialize(rootDir: string): Promise<void> {
    await this.client.initialize(rootDir);
  }

  waitFor(description: string, check: () => boolean): Promise<void> {
    return this.client.waitFor(description, check, WAIT_LIMIT_MS);
  }

  /** Waits for the publication of `version` of `uri` and returns when it arrived. */
  async diagnosticsFor(uri: string, version: number): Promise<{ params: PublishDiagnosticsParams; at: number }> {
    const params = await this.client.waitForDiagnostics(uri, `diagnostics for version ${version}`, (p) => (p.version ?? -1) >= version);
    return { params, at: this.client.publishedAt.get(uri)! };
  }

  async open(filePath: string, languageId: string, text: string): Promise<string> {
    const uri = uriOf(filePath);
    this.versions.set(uri, 1);
    await this.client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  /** Sends one incremental change; returns its version and the time it was sent. */
  async change(uri: string, range: Range, text: string): Promise<{ version: number; sentAt: number }> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const sentAt = performance.now();
    await this.client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return { version, sentAt };
  }

  /** Resident and peak resident memory of the server process, from /proc (Linux). */
  memory(): { rssMiB: number; peakRssMiB: number } {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, peakRssMiB: kb('VmHWM') / 1024 };
  }

  stop(): Promise<void> {
    return this.client.stop();
  }
}
