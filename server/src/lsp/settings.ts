import type { Connection } from 'vscode-languageserver/node';
import { SETTINGS_SECTION } from '../../../common/protocol';
import { DEFAULT_MAX_FILE_SIZE_KB } from '../engine/scan';
import { LEVELS, type RuleSetting, type RuleSettings } from '../engine/types';

export type TraceSetting = 'off' | 'messages' | 'verbose';

/** `pinningAudit.*`, as the package.json `contributes.configuration` declares it. */
export interface Settings {
  enable: boolean;
  /** Rule id → `off` or the level that replaces the rule's default. */
  rules: RuleSettings;
  /** Globs relative to the workspace folder, left out of the audit. */
  exclude: string[];
  /** Read by vscode-languageclient itself (the client id is `pinningAudit`); kept here for completeness. */
  trace: { server: TraceSetting };
  maxFileSizeKb: number;
  /** Live-host checks; read by the client, which does all network traffic. */
  network: { timeoutMs: number };
  /** Pins file to create when the workspace has no pin set (relative to the folder); '' picks one per language. */
  pinsFile: string;
  /** Pin set name (or map host) → `host[:port]` or URL its pins must match. */
  hosts: Record<string, string>;
  /** A pinned certificate expiring within this many days is reported. */
  rotationWarningDays: number;
  /** PEM files of extra CAs for the chain check of live hosts (read by the client). */
  extraCaFiles: string[];
}

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  enable: true,
  rules: {},
  exclude: [],
  trace: { server: 'off' },
  maxFileSizeKb: DEFAULT_MAX_FILE_SIZE_KB,
  network: { timeoutMs: 10_000 },
  pinsFile: '',
  hosts: {},
  rotationWarningDays: 30,
  extraCaFiles: [],
};

const RULE_SETTINGS: readonly RuleSetting[] = ['off', ...LEVELS];
const TRACE_SETTINGS: readonly TraceSetting[] = ['off', 'messages', 'verbose'];

/** Whatever the client sends (null, partial objects, wrong types) becomes a complete `Settings`. */
export function normalizeSettings(raw: unknown): Settings {
  const value = isObject(raw) ? raw : {};
  const rules: RuleSettings = {};
  if (isObject(value.rules)) {
    for (const [id, setting] of Object.entries(value.rules)) {
      if (RULE_SETTINGS.includes(setting as RuleSetting)) rules[id] = setting as RuleSetting;
    }
  }
  const trace = isObject(value.trace) && TRACE_SETTINGS.includes(value.trace.server as TraceSetting)
    ? (value.trace.server as TraceSetting)
    : DEFAULT_SETTINGS.trace.server;
  const maxFileSizeKb = typeof value.maxFileSizeKb === 'number' && value.maxFileSizeKb > 0
    ? value.maxFileSizeKb
    : DEFAULT_SETTINGS.maxFileSizeKb;
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    rules,
    exclude: Array.isArray(value.exclude) ? value.exclude.filter((g): g is string => typeof g === 'string' && g !== '') : [],
    trace: { server: trace },
    maxFileSizeKb,
    ...normalizeLiveHostSettings(value),
  };
}

/** The live-host part of `Settings` (issue 5); untrusted workspace values never reach here (see client/src/trusted-settings.ts). */
function normalizeLiveHostSettings(value: Record<string, unknown>): Pick<Settings, 'network' | 'pinsFile' | 'hosts' | 'rotationWarningDays' | 'extraCaFiles'> {
  const timeoutMs = isObject(value.network) ? value.network.timeoutMs : undefined;
  const hosts: Record<string, string> = {};
  if (isObject(value.hosts)) {
    for (const [name, host] of Object.entries(value.hosts)) if (typeof host === 'string' && host.trim() !== '') hosts[name] = host.trim();
  }
  return {
    network: { timeoutMs: typeof timeoutMs === 'number' && timeoutMs >= 1 ? timeoutMs : DEFAULT_SETTINGS.network.timeoutMs },
    pinsFile: typeof value.pinsFile === 'string' ? value.pinsFile.trim() : DEFAULT_SETTINGS.pinsFile,
    hosts,
    rotationWarningDays: typeof value.rotationWarningDays === 'number' && value.rotationWarningDays >= 0
      ? value.rotationWarningDays
      : DEFAULT_SETTINGS.rotationWarningDays,
    extraCaFiles: Array.isArray(value.extraCaFiles) ? value.extraCaFiles.filter((f): f is string => typeof f === 'string' && f !== '') : [],
  };
}

/** VS Code's `files.exclude`: glob → true/false (or a `when` clause, which we cannot evaluate: ignored). */
export function filesExcludeGlobs(filesSection: unknown): string[] {
  if (!isObject(filesSection) || !isObject(filesSection.exclude)) return [];
  return Object.entries(filesSection.exclude).filter(([, on]) => on === true).map(([glob]) => glob);
}

/** What a scope (a document or a workspace folder) is audited with. */
export interface ScopeSettings extends Settings {
  /** `pinningAudit.exclude` plus VS Code's `files.exclude`. */
  excludeGlobs: string[];
}

/**
 * Pulls settings per scope with `workspace/configuration` and caches them until the next
 * `workspace/didChangeConfiguration`. Clients without pull support get the defaults, or
 * whatever they push in `didChangeConfiguration`.
 */
export class SettingsStore {
  private readonly byScope = new Map<string, Promise<ScopeSettings>>();
  private pushed: unknown;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
  ) {}

  /** `scopeUri` is a document or workspace-folder URI; undefined means the global settings. */
  get(scopeUri?: string): Promise<ScopeSettings> {
    const key = scopeUri ?? '';
    let settings = this.byScope.get(key);
    if (!settings) {
      settings = this.load(scopeUri);
      this.byScope.set(key, settings);
    }
    return settings;
  }

  forget(scopeUri: string): void {
    this.byScope.delete(scopeUri);
  }

  /** On `didChangeConfiguration`: `pushedSettings` is the notification's `settings` (used only without pull). */
  clear(pushedSettings?: unknown): void {
    this.byScope.clear();
    if (isObject(pushedSettings) && SETTINGS_SECTION in pushedSettings) this.pushed = pushedSettings;
  }

  private async load(scopeUri: string | undefined): Promise<ScopeSettings> {
    if (!this.canPull()) {
      const pushed = isObject(this.pushed) ? this.pushed : {};
      return withExcludes(normalizeSettings(pushed[SETTINGS_SECTION]), filesExcludeGlobs(pushed.files));
    }
    try {
      const [own, files] = (await this.connection.workspace.getConfiguration([
        { scopeUri, section: SETTINGS_SECTION },
        { scopeUri, section: 'files' },
      ])) as unknown[];
      return withExcludes(normalizeSettings(own), filesExcludeGlobs(files));
    } catch (error) {
      // A failed pull must not stop the audit: fall back to the defaults, and pull again next time.
      this.connection.console.error(`Could not read settings for ${scopeUri ?? 'the workspace'}: ${String(error)}`);
      this.byScope.delete(scopeUri ?? '');
      return withExcludes(normalizeSettings(undefined), []);
    }
  }
}

function withExcludes(settings: Settings, filesExclude: string[]): ScopeSettings {
  return { ...settings, excludeGlobs: [...settings.exclude, ...filesExclude] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
