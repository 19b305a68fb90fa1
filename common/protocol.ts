/**
 * Every custom message between the extension (client) and the language server, in one place.
 * Each message is a namespace holding its `method`, its parameter/result types and a typed `type`.
 */
import { NotificationType, RequestType, type Range, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { HostCheck } from './pins/host-check';

/** `Diagnostic.source` of every diagnostic the server publishes. */
export const SERVER_SOURCE = 'pinning-audit';

/** The settings section (`pinningAudit.enable`, `pinningAudit.rules`, …). */
export const SETTINGS_SECTION = 'pinningAudit';

/** Client → server: audit every workspace folder again; resolves when the scan is over. */
export namespace ScanWorkspace {
  export const method = 'pinningAudit/scanWorkspace';
  /** No parameters yet; an object so fields can be added without breaking older clients. */
  export type Params = Record<string, never>;
  export interface Result {
    /** Files audited (open documents included). */
    files: number;
    /** Unsuppressed findings in the workspace after the scan, open documents included. */
    findings: number;
    /** With a storage folder (`initializationOptions.storagePath`): files whose results came from the scan cache (unchanged since it was written). */
    cached?: number;
    /** With a storage folder: files this scan parsed. */
    parsed?: number;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Server → client: sent whenever the workspace-wide finding count or the scanning state changes. */
export namespace Status {
  export const method = 'pinningAudit/status';
  export interface Params {
    /** Unsuppressed findings currently published, over all files. */
    findings: number;
    /** True while a workspace scan runs. */
    scanning: boolean;
  }
  export const type = new NotificationType<Params>(method);
}

/**
 * "Restrict the check to a host…": the code action runs the client command
 * `Commands.restrictToHost`, which asks for the host name and then requests the edit (a pin
 * check that rejects every other host first).
 */
export namespace RestrictToHost {
  export const method = 'pinningAudit/restrictToHost';
  /** The command's argument: the check (the diagnostic's range) in this version of the document. */
  export interface CommandArguments {
    uri: string;
    version: number;
    range: Range;
    /** A host the file ties pins to, offered as the prompt's default. */
    suggestedHost?: string;
  }
  export interface Params extends CommandArguments {
    host: string;
  }
  /** `documentChanges` with `version`: refused by the client when the text changed meanwhile. */
  export type Result = { edit: WorkspaceEdit } | { error: string };
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * "Set a new expiration date…" (pin-set-expired): the code action runs the client command
 * `Commands.setExpirationDate`, which asks for the date and writes it over the old one.
 */
export namespace SetExpirationDate {
  /** The command's argument: the date's value (the diagnostic's range) in this version of the document. */
  export interface CommandArguments {
    uri: string;
    version: number;
    range: Range;
    current: string;
    /** The new date (`YYYY-MM-DD`), for scripts and tests: no prompt then. */
    date?: string;
  }
}

/** Command ids the client registers; code actions may run them too. */
export const Commands = {
  fetchPins: 'pinningAudit.fetchPins',
  pinFromCertificateFile: 'pinningAudit.pinFromCertificateFile',
  verifyPins: 'pinningAudit.verifyPins',
  /** Makes a backup key pair and CSR on disk and pins the key (the preferred quick fix of single-pin). */
  createBackupKey: 'pinningAudit.createBackupKey',
  /** Asks for a host, then requests `RestrictToHost` (the quick fix of pin-check-ignores-host). */
  restrictToHost: 'pinningAudit.restrictToHost',
  /** Asks for a date, then writes it over a pin set's expiry (the quick fix of pin-set-expired). */
  setExpirationDate: 'pinningAudit.setExpirationDate',
} as const;

/** A pin set of the workspace as the client sees it. */
export interface PinSetSummary {
  uri: string;
  range: Range;
  kind: 'collection' | 'comparison';
  /** Variable or entry name, e.g. `pins` or `spkiPinsByHost[api.example.com]`. */
  name?: string;
  /** The host a host-keyed map ties the set to. */
  host?: string;
  /** The host-keyed map this set is an entry of. */
  mapName?: string;
  language: 'dart' | 'swift' | 'ts' | 'xml';
  pinCount: number;
  /** Those of the asked-about pins (`PinSets.Params.pins`) this set already holds. */
  holds: string[];
}

/**
 * Names one pin set: by position (`file` is a URI or an absolute path; the set whose range holds
 * `range.start`), by variable name, or by the host a host-keyed map ties it to.
 */
export type PinSetSelector = { file: string; range: Range } | { name: string } | { host: string };

/** Client → server: every pin set of the workspace, and which of `pins` each holds. */
export namespace PinSets {
  export const method = 'pinningAudit/pinSets';
  export interface Params {
    /** Base64 SHA-256 SPKI digests to look for (any pin notation in code matches). */
    pins?: string[];
  }
  export interface Result {
    pinSets: PinSetSummary[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → server: the edit that adds a pin to a pin set (or creates a pins file); the client applies it. */
export namespace InsertPin {
  export const method = 'pinningAudit/insertPin';
  export interface Params {
    /** Base64 SHA-256 of the SubjectPublicKeyInfo; written in the set's own notation. */
    pin: string;
    pinSet?: PinSetSelector;
    /**
     * The host the pin came from. When the set is an entry of a host-keyed map, the pin goes
     * into this host's entry, which is created when missing.
     */
    host?: string;
    /** With no pin set in the workspace: create the pins file (else the result is `noPinSet`). */
    createPinsFile?: boolean;
    /** Replace the pin at this position (an invalid or stale one) instead of adding one; `pinSet` is then ignored. */
    replace?: { file: string; range: Range };
    /**
     * A comment written after the new pin: for a backup key's pin, the key file and the date
     * (`backup key ~/keys/api-backup.key.pem, 2026-12-04`), which records it as a backup for `verify`.
     */
    note?: string;
  }
  export type Result =
    | {
        status: 'edit';
        /** `documentChanges` with the document's version: one undo step, refused when the text changed. */
        edit: WorkspaceEdit;
        uri: string;
        /** Where the pin goes, in the text before the edit (for revealing it). */
        range: Range;
        created?: 'pinsFile' | 'hostEntry';
      }
    | { status: 'present'; uri: string; range: Range }
    | { status: 'noPinSet'; pinsFile: string }
    | { status: 'ambiguous'; candidates: PinSetSummary[] }
    | { status: 'failed'; message: string };
  export const type = new RequestType<Params, Result, void>(method);
}

/** A pin set tied to a live host: by its host-keyed map entry, or by `pinningAudit.hosts`. */
export interface PinSetTie {
  uri: string;
  range: Range;
  /** Identifies the set within its file across edits (its name, or its host). */
  setKey: string;
  name?: string;
  /** As written: the map key or the `pinningAudit.hosts` value. */
  host: string;
  /** What to connect to. */
  target: { host: string; port: number };
  servername?: string;
}

/** Client → server: the pin sets tied to hosts, so the client can fetch their chains. */
export namespace HostTiedPinSets {
  export const method = 'pinningAudit/hostTiedPinSets';
  export interface Params {
    /** Pin set name (or map host) → host, over `pinningAudit.hosts`. */
    hosts?: Record<string, string>;
    /** Only the set at this position. */
    pinSet?: { file: string; range: Range };
  }
  export interface Result {
    ties: PinSetTie[];
    /** Hosts-map entries that tie no set, and tied sets that cannot be checked (wildcard host, bad target). */
    skipped: { uri?: string; name: string; reason: string }[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** How one pin set fared against its live host. */
export interface PinSetVerification {
  uri: string;
  range: Range;
  name?: string;
  host: string;
  target: string;
  status: 'ok' | 'noMatch' | 'unreachable';
  matched: number;
  total: number;
  /** Days until the leaf expires (negative: expired). */
  leafExpiresInDays?: number;
  /** The CodeLens line, e.g. `2/2 pins match api.example.com · leaf expires in 64 days`. */
  summary: string;
}

/** Client → server: chains fetched for tied pin sets; the server publishes the verification diagnostics. */
export namespace VerifyResults {
  export const method = 'pinningAudit/verifyResults';
  export interface Params {
    results: { uri: string; setKey: string; host: string; check: HostCheck }[];
  }
  export interface Result {
    pinSets: PinSetVerification[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}
