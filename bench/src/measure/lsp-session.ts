/**
 * The built language server (dist/server.js --stdio) as the benchmark drives it: spawns it,
 * answers its requests like VS Code would, and resolves waits on what it sends — no sleeps.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createMessageConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type MessageConnection,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver-protocol/node';

export function uriOf(filePath: string): string {
  return pathToFileURL(filePath).href;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

export class LspSession {
  /** performance.now() just before the process was spawned. */
  readonly spawnedAt: number;
  readonly connection: MessageConnection;
  readonly process: ChildProcessWithoutNullStreams;
  /** Latest publication per URI, with the time it arrived. */
  readonly latest = new Map<string, { params: PublishDiagnosticsParams; at: number }>();
  /** Work-done progress `end`s seen so far (the workspace scan reports one when it finishes). */
  progressEnds = 0;
  readonly stderr: string[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly exited: Promise<void>;
  private versions = new Map<string, number>();

  constructor(serverBundle: string) {
    if (!fs.existsSync(serverBundle)) throw new Error(`${serverBundle} is missing: run \`npm run build\` first`);
    this.spawnedAt = performance.now();
    this.process = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: 'pipe' });
    this.exited = new Promise((resolve) => this.process.once('exit', () => resolve()));
    this.process.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.latest.set(params.uri, { params, at: performance.now() });
      this.changed();
    });
    this.connection.onUnhandledProgress(({ value }) => {
      if ((value as { kind?: string }).kind === 'end') this.progressEnds++;
      this.changed();
    });
    this.connection.onRequest(ConfigurationRequest.type, ({ items }) => items.map((item) => (item.section === 'files' ? { exclude: {} } : {})));
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onNotification(() => undefined); // status, log messages
    this.connection.listen();
  }

  get pid(): number {
    return this.process.pid!;
  }

  async initialize(rootDir: string): Promise<void> {
    const uri = uriOf(rootDir);
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(rootDir) }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { dynamicRegistration: false } },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /** Resolves once `check` holds, re-checked after each message from the server. */
  waitFor(description: string, check: () => boolean, timeoutMs = 600_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${description}; server stderr:\n${this.stderr.join('').slice(-2000)}`));
      }, timeoutMs);
      const waiter: Waiter = { check, resolve: () => { clearTimeout(timer); resolve(); } };
      this.waiters.add(waiter);
    });
  }

  /** Waits for the publication of `version` of `uri` and returns when it arrived. */
  async diagnosticsFor(uri: string, version: number): Promise<{ params: PublishDiagnosticsParams; at: number }> {
    await this.waitFor(`diagnostics for version ${version} of ${uri}`, () => (this.latest.get(uri)?.params.version ?? -1) >= version);
    return this.latest.get(uri)!;
  }

  async open(filePath: string, languageId: string, text: string): Promise<string> {
    const uri = uriOf(filePath);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  /** Sends one incremental change; returns its version and the time it was sent. */
  async change(uri: string, range: Range, text: string): Promise<{ version: number; sentAt: number }> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const sentAt = performance.now();
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
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

  async stop(): Promise<void> {
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 10_000);
      await this.connection.sendNotification(ExitNotification.type);
      await withTimeout(this.exited, 10_000);
    } catch {
      // Killed below.
    } finally {
      if (this.process.exitCode === null) this.process.kill();
      this.connection.dispose();
    }
  }

  private changed(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e); });
  });
}
