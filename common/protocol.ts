/**
 * Every custom message between the extension (client) and the language server, in one place.
 * Each message is a namespace holding its `method`, its parameter/result types and a typed `type`.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

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
