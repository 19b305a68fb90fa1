/**
 * Workspace Trust for settings (no `vscode` import, so it is unit-tested): in an untrusted
 * workspace the host list and the file paths come from the user's own settings only, never from
 * the workspace's `.vscode/settings.json`.
 */

/** `pinningAudit.*` keys whose workspace values are ignored in an untrusted workspace (also package.json `restrictedConfigurations`). */
export const RESTRICTED_SETTINGS = ['hosts', 'pinsFile', 'extraCaFiles'] as const;

/** The part of `WorkspaceConfiguration.inspect()` this needs. */
export interface InspectedSetting<T> {
  defaultValue?: T;
  globalValue?: T;
}

/** The value to use: the effective one when trusted; else the user-level value, else the default. */
export function trustedValue<T>(effective: T | undefined, inspected: InspectedSetting<T> | undefined, trusted: boolean, fallback: T): T {
  if (trusted) return effective ?? fallback;
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

/**
 * The `pinningAudit` section as the server may see it: restricted keys replaced by their
 * user-level values when the workspace is not trusted.
 */
export function restrictSection(
  section: unknown,
  trusted: boolean,
  inspect: (key: (typeof RESTRICTED_SETTINGS)[number]) => InspectedSetting<unknown> | undefined,
): unknown {
  if (trusted || typeof section !== 'object' || section === null || Array.isArray(section)) return section;
  const restricted: Record<string, unknown> = { ...(section as Record<string, unknown>) };
  for (const key of RESTRICTED_SETTINGS) {
    const inspected = inspect(key);
    const value = inspected?.globalValue ?? inspected?.defaultValue;
    if (value === undefined) delete restricted[key];
    else restricted[key] = value;
  }
  return restricted;
}
