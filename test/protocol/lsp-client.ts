/**
 * A minimal LSP client for protocol tests: runs the built server (dist/server.js --stdio) as a
 * child process, records what it publishes, answers its requests, and lets tests wait for a
 * state instead of sleeping.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createMessageConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type InitializeResult,
  type MessageConnection,
  type PublishDiagnosticsParams,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { SETTINGS_SECTION, Status } from '../../common/protocol';

export const SERVER_BUNDLE = path.resolve(__dirname, '../../../dist/server.js');

type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

export class LspTestClient {
  readonly connection: MessageConnection;
  /** The last publication per URI. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** When (`performance.now()`) the last publication per URI arrived: the benchmark times edits with it. */
  readonly publishedAt = new Map<string, number>();
  /** Every publication, in order. */
  readonly publications: PublishDiagnosticsParams[] = [];
  readonly statuses: Status.Params[] = [];
  readonly progress: ProgressValue[] = [];
  readonly log: string[] = [];
  /** What `workspace/configuration` answers for the `pinningAudit` section. */
  settings: Record<string, unknown> = {};
  private readonly waiters = new Set<Waiter>();
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<void>;

  /**
   * `options`: another server bundle, node flags (a `--require` preload), environment, or an
   * unprivileged user for the server process.
   */
  constructor(options: { serverBundle?: string; execArgv?: string[]; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}) {
    const { serverBundle = SERVER_BUNDLE, execArgv = [], ...spawnOptions } = options;
    if (!fs.existsSync(serverBundle)) throw new Error(`${serverBundle} is missing: run \`node scripts/build.mjs\` first.`);
    this.process = spawn(process.execPath, [...execArgv, serverBundle, '--stdio'], { stdio: 'pipe', ...spawnOptions });
    this.exited = new Promise((resolve) => this.process.once('exit', () => resolve()));
    this.process.stderr.on('data', (chunk: Buffer) => this.record(`[stderr] ${chunk.toString()}`));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout),
      new StreamMessageWriter(this.process.stdin),
    );
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.publishedAt.set(params.uri, performance.now());
      this.publications.push(params);
      this.changed();
    });
    this.connection.onNotification(Status.type, (status) => {
      this.statuses.push(status);
      this.changed();
    });
    this.connection.onNotification(LogMessageNotification.type, ({ message }) => this.record(message));
    this.connection.onUnhandledProgress(({ value }) => {
      this.progress.push(value as ProgressValue);
      this.changed();
    });
    this.connection.onRequest(ConfigurationRequest.type, ({ items }) =>
      items.map((item) => (item.section === SETTINGS_SECTION ? this.settings : item.section === 'files' ? { exclude: {} } : null)),
    );
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.listen();
  }

  /** `initializationOptions`: what the extension passes (its `storagePath`). */
  async initialize(workspaceDir: string, initializationOptions?: Record<string, unknown>): Promise<InitializeResult> {
    const uri = uriOf(workspaceDir);
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      ...(initializationOptions ? { initializationOptions } : {}),
      workspaceFolders: [{ uri, name: path.basename(workspaceDir) }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** Resolves once `check` holds, re-checking after every message from the server; `timeoutMs` is a deadline, not a sleep. */
  waitFor(description: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out waiting for ${description}.\nServer log:\n${this.log.slice(-20).join('\n')}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Waits for the latest publication for `uri` to satisfy `check`, and returns it. */
  async waitForDiagnostics(
    uri: string,
    description: string,
    check: (params: PublishDiagnosticsParams) => boolean,
  ): Promise<PublishDiagnosticsParams> {
    await this.waitFor(`${description} (${uri})`, () => {
      const params = this.diagnostics.get(uri);
      return params !== undefined && check(params);
    });
    return this.diagnostics.get(uri)!;
  }

  /** Writes bytes to the server's stdin as they are: for malformed-message tests. */
  writeRaw(data: string | Buffer): void {
    this.process.stdin.write(data);
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** Null while the server process runs. */
  get exitCode(): number | null {
    return this.process.exitCode ?? (this.process.signalCode ? -1 : null);
  }

  async stop(): Promise<void> {
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 5_000);
      await this.connection.sendNotification(ExitNotification.type);
      await withTimeout(this.exited, 5_000);
    } catch {
      // Fall through to the kill below.
    } finally {
      if (this.process.exitCode === null) this.process.kill();
      this.connection.dispose();
    }
  }

  private record(message: string): void {
    this.log.push(message);
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

export function uriOf(filePath: string): string {
  return pathToFileURL(filePath).href;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
