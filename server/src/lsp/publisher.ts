import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import { Status } from '../../../common/protocol';

const STATUS_INTERVAL_MS = 250;

/** Diagnostics from outside the rules (live-host verification) merged into every publication of a file. */
export type DiagnosticsLayer = (key: string, uri: string, version: number | undefined) => Diagnostic[];

interface Published {
  uri: string;
  count: number;
}

/**
 * Publishes diagnostics and remembers what each file shows, so the server can clear files
 * it no longer audits and keep the client's status bar count (`Status`) right.
 */
export class DiagnosticsPublisher {
  /** By `fileKey`: only files whose last publication was not empty. */
  private readonly published = new Map<string, Published>();
  private findings = 0;
  private scanning = false;
  private lastStatus: Status.Params | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly layers: DiagnosticsLayer[] = [];
  /** The rules' last diagnostics per file, so a layer change can republish without re-auditing. */
  private readonly ruleDiagnostics = new Map<string, { uri: string; diagnostics: Diagnostic[]; version?: number }>();

  constructor(private readonly connection: Connection) {}

  /** `version` is the open document's version; omitted for files read from disk. */
  publish(key: string, uri: string, ruleDiagnostics: Diagnostic[], version?: number): void {
    if (ruleDiagnostics.length > 0 || version !== undefined) this.ruleDiagnostics.set(key, { uri, diagnostics: ruleDiagnostics, version });
    else this.ruleDiagnostics.delete(key);
    const diagnostics = this.layers.length ? [...ruleDiagnostics, ...this.layers.flatMap((layer) => layer(key, uri, version))] : ruleDiagnostics;
    const previous = this.published.get(key);
    // Nothing shown and nothing to show: skip the message (most files have no findings).
    if (!previous && diagnostics.length === 0 && version === undefined) return;
    void this.connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
    if (previous && previous.uri !== uri) {
      // Same file, other spelling of its URI: clear the old one or the client shows both.
      void this.connection.sendDiagnostics({ uri: previous.uri, diagnostics: [] });
    }
    this.findings += diagnostics.length - (previous?.count ?? 0);
    if (diagnostics.length > 0) this.published.set(key, { uri, count: diagnostics.length });
    else this.published.delete(key);
    this.sendStatus();
  }

  addLayer(layer: DiagnosticsLayer): void {
    this.layers.push(layer);
  }

  /** Publishes `key` again with its last rule diagnostics and the layers' current ones. */
  refresh(key: string, uri: string): void {
    const rules = this.ruleDiagnostics.get(key);
    this.publish(key, rules?.uri ?? uri, rules?.diagnostics ?? [], rules?.version);
  }

  clear(key: string): void {
    const previous = this.published.get(key);
    if (previous) this.publish(key, previous.uri, []);
  }

  /** Keys of the files that currently show diagnostics. */
  keys(): string[] {
    return [...this.published.keys()];
  }

  /** The files that currently show diagnostics, with the URI they were published under. */
  shown(): { key: string; uri: string }[] {
    return [...this.published].map(([key, { uri }]) => ({ key, uri }));
  }

  get total(): number {
    return this.findings;
  }

  setScanning(scanning: boolean): void {
    this.scanning = scanning;
    this.sendStatus(true);
  }

  /** While a scan publishes file after file, the count is sent a few times a second, not per file. */
  private sendStatus(now = false): void {
    if (this.scanning && !now) {
      this.statusTimer ??= setTimeout(() => this.sendStatus(true), STATUS_INTERVAL_MS);
      return;
    }
    clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    const status: Status.Params = { findings: this.findings, scanning: this.scanning };
    if (this.lastStatus?.findings === status.findings && this.lastStatus.scanning === status.scanning) return;
    this.lastStatus = status;
    void this.connection.sendNotification(Status.type, status);
  }
}
