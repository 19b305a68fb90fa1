import * as path from 'node:path';
import { DOCS_BASE_URL } from '../engine/rule';
import { url } from '../engine/node-builtins';
import type { Range } from '../engine/types';
import type { FindingFix } from './finding-fixes';
import { FINGERPRINT_KEY } from './fingerprints';
import { ruleHelp, ruleTags } from './rule-help';
import type { ScanReport } from './scan';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';
const REPOSITORY_URL = DOCS_BASE_URL.replace(/\/blob\/.*$/, '');

/** The run's category in code scanning: alerts of other tools and runs stay apart. */
const AUTOMATION_CATEGORY = 'pinning-audit';

export interface SarifContext {
  /** The git work tree scanned, when there is one with a remote. */
  provenance?: { repositoryUri: string; revisionId?: string; branch?: string };
}

/**
 * One SARIF 2.1.0 run. Suppressed findings are listed with an in-source suppression so
 * viewers can show them as such; skipped files become tool execution notifications.
 */
export function formatSarif(report: ScanReport, toolVersion: string, context: SarifContext = {}): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.meta.id, i]));
  const location = (file: string) => ({ physicalLocation: { artifactLocation: artifactLocation(report.root, file) } });

  const overrides = Object.entries(report.ruleSettings)
    .filter(([id, setting]) => setting !== undefined && ruleIndex.has(id))
    .map(([id, setting]) => ({
      descriptor: { id, index: ruleIndex.get(id)! },
      configuration: setting === 'off' ? { enabled: false } : { level: setting },
    }));

  const sarif = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pinning-audit',
            version: toolVersion,
            semanticVersion: toolVersion,
            informationUri: REPOSITORY_URL,
            rules: report.rules.map((r) => ({
              id: r.meta.id,
              shortDescription: { text: r.meta.description },
              fullDescription: { text: r.meta.description },
              helpUri: r.meta.docsUrl,
              help: ruleHelp(r),
              defaultConfiguration: { level: r.meta.level },
              properties: {
                tags: ruleTags(r),
                // Code scanning reads a string holding the score.
                'security-severity': r.meta.security.severity.toFixed(1),
                precision: r.meta.security.precision,
              },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(overrides.length ? { ruleConfigurationOverrides: overrides } : {}),
            ...(report.skipped.length
              ? {
                  toolExecutionNotifications: report.skipped.map((s) => ({
                    level: 'warning',
                    message: { text: `Skipped: ${s.reason}` },
                    locations: [location(s.path)],
                  })),
                }
              : {}),
          },
        ],
        automationDetails: { id: `${AUTOMATION_CATEGORY}/` },
        ...(context.provenance ? { versionControlProvenance: [{ ...context.provenance, mappedTo: { uriBaseId: SRCROOT } }] } : {}),
        originalUriBaseIds: { [SRCROOT]: { uri: folderUri(report.root) } },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId)! } : {}),
          level: f.level,
          message: { text: f.message },
          partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(report.root, f.path),
                region: sarifRegion(f.range),
              },
            },
          ],
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((r, id) => ({
                  id,
                  physicalLocation: { artifactLocation: artifactLocation(report.root, f.path), region: sarifRegion(r.range) },
                  message: { text: r.message },
                })),
              }
            : {}),
          ...(f.fix ? { fixes: [sarifFix(report.root, f.path, f.fix)] } : {}),
          ...(f.suppressed
            ? { suppressions: [{ kind: 'inSource', ...(f.suppressed.reason ? { justification: f.suppressed.reason } : {}) }] }
            : f.baselined ? { suppressions: [{ kind: 'external', justification: 'in the baseline (--baseline)' }] } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** Relative to %SRCROOT% when under the root; an absolute file URI otherwise. */
function artifactLocation(root: string, file: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(root, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    return { uri: url().pathToFileURL(file).href };
  }
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** SARIF requires a base URI to end with a slash, or relative references resolve against its parent. */
function folderUri(folder: string): string {
  const href = url().pathToFileURL(folder).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** A quick fix as SARIF's `fix`: the replacements in the finding's file, 1-based with exclusive ends like the regions. */
function sarifFix(root: string, file: string, fix: FindingFix) {
  return {
    description: { text: fix.title },
    artifactChanges: [
      {
        artifactLocation: artifactLocation(root, file),
        replacements: fix.edits.map((edit) => ({
          deletedRegion: sarifRegion(edit.range),
          insertedContent: { text: edit.newText },
        })),
      },
    ],
  };
}

/** Ranges are 0-based with an exclusive end; SARIF's are 1-based and endColumn is one past the last character. */
function sarifRegion(range: Range) {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}
