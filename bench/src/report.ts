import type { ShapeName } from './generate/shape';
import type { WorkspaceManifest } from './generate/workspace';
import type { CliScanResult } from './measure/cli-scan';
import type { ColdStartResult } from './measure/cold-start';
import type { LatencySummary } from './measure/edit-latency';
import type { NodeStartResult } from './measure/node-start';
import type { EslintResult } from './measure/eslint';
import type { RipgrepResult } from './measure/ripgrep';
import type { ServerMemoryResult } from './measure/server-memory';
import type { TriggerShare } from './measure/triggers';
import type { WarmScanResult } from './measure/warm-scan';

/** What was measured on one workspace shape. */
export interface ShapeResults {
  workspace: WorkspaceManifest;
  triggers?: Omit<TriggerShare, 'quietFiles'>;
  /** The same scan and rg pass over only the files without trigger words: a scan with nothing to parse. */
  withoutTriggerWords?: { files: number; bytes: number; scanMs: number; scanCpuMs: number; scanPeakRssMiB: number; rgMs: number; rgMatches: number };
  scan?: CliScanResult;
  /** `scan --cache`: filled by one cold run, then timed warm. */
  warmScan?: WarmScanResult;
  ripgrep?: RipgrepResult;
  editLatency?: Record<string, LatencySummary>;
}

export interface BenchResults {
  meta: { date: string; label?: string; node: string; cpus: number; cpuModel: string; commit?: string; options: Record<string, unknown>; totalSeconds?: number; loadAverage?: { start: number; end?: number } };
  shapes: Partial<Record<ShapeName, ShapeResults>>;
  /** On the `mono` shape. */
  eslint?: EslintResult;
  serverMemory?: ServerMemoryResult;
  coldStart?: ColdStartResult;
  /** The CLI's scan of an empty folder: its start-up. */
  emptyScan?: CliScanResult;
  /** `node -e 0`, beside it. */
  nodeStart?: NodeStartResult;
  budgets: Budget[];
}

export interface Budget {
  name: string;
  measured: string;
  limit: string;
  /** undefined when the measurement was skipped. */
  met?: boolean;
}

const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const mib = (v: number) => `${v.toFixed(0)} MiB`;
const int = (v: number) => v.toLocaleString('en-US');
/** ` · CPU 3.65 s (system 660 ms, 56,400 page faults), 1.8 cores`, with what is known; nothing without GNU time. */
const cpu = (cpuMs: number, wallMs: number, systemMs = NaN, minorFaults = NaN) => {
  if (Number.isNaN(cpuMs)) return '';
  const kernel = [Number.isNaN(systemMs) ? '' : `system ${ms(systemMs)}`, Number.isNaN(minorFaults) ? '' : `${int(minorFaults)} page faults`].filter(Boolean).join(', ');
  return ` · CPU ${ms(cpuMs)}${kernel ? ` (${kernel})` : ''}, ${(cpuMs / wallMs).toFixed(1)} cores`;
};
const shapesOf = (r: Omit<BenchResults, 'budgets'>) => Object.entries(r.shapes) as [ShapeName, ShapeResults][];

/** A ratio budget: `measured / reference ≤ limit`, or skipped when either is missing. */
function ratioBudget(name: string, measured: number | undefined, reference: number | undefined, limit: number, limitText: string): Budget {
  const ratio = measured !== undefined && reference ? measured / reference : undefined;
  return { name, measured: ratio === undefined ? 'skipped' : `${ratio.toFixed(1)}× rg`, limit: limitText, met: ratio === undefined ? undefined : ratio <= limit };
}

export function budgets(r: Omit<BenchResults, 'budgets'>): Budget[] {
  const out: Budget[] = [];
  for (const [shape, s] of shapesOf(r)) {
    const rg = s.ripgrep?.wallMs;
    out.push(ratioBudget(`[${shape}] Cold scan vs the rg trigger pass over the same tree`, s.scan?.wallMs, rg, 5, '≤ 5× (aim 3×)'));
    if (s.warmScan && !s.warmScan.supported) out.push({ name: `[${shape}] Warm (cached) scan vs the rg trigger pass`, measured: s.warmScan.reason, limit: '≤ 2×' });
    else out.push(ratioBudget(`[${shape}] Warm (cached) scan vs the rg trigger pass`, s.warmScan?.wallMs, rg, 2, '≤ 2×'));
    for (const [language, l] of Object.entries(s.editLatency ?? {})) {
      out.push({ name: `[${shape}] Edit → diagnostics p95, 5,000-line ${language} file`, measured: ms(l.p95Ms), limit: '≤ 25 ms', met: l.p95Ms <= 25 });
    }
    if (!s.editLatency) out.push({ name: `[${shape}] Edit → diagnostics p95`, measured: 'skipped', limit: '≤ 25 ms' });
  }
  const monoScan = r.shapes.mono?.scan?.wallMs;
  const eslintRatio = monoScan && r.eslint ? r.eslint.wallMs / monoScan : undefined;
  out.push({ name: '[mono] Scan of the whole tree vs ESLint + SonarJS on the TS/JS part', measured: eslintRatio ? `${eslintRatio.toFixed(1)}× faster` : 'skipped', limit: '≥ 50× faster', met: eslintRatio === undefined ? undefined : eslintRatio >= 50 });
  const m = r.serverMemory;
  out.push({ name: `[mono] Server RSS after scanning ${int(r.shapes.mono?.workspace.files ?? 0)} files`, measured: m ? mib(m.afterScanRssMiB) : 'skipped', limit: '≤ 250 MiB', met: m ? m.afterScanRssMiB <= 250 : undefined });
  out.push({ name: 'Cold start to first diagnostics', measured: r.coldStart ? ms(r.coldStart.ms) : 'skipped', limit: '≤ 400 ms', met: r.coldStart ? r.coldStart.ms <= 400 : undefined });
  out.push({ name: 'CLI scan of an empty folder', measured: r.emptyScan ? ms(r.emptyScan.wallMs) : 'skipped', limit: '≤ 150 ms', met: r.emptyScan ? r.emptyScan.wallMs <= 150 : undefined });
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
  return rows.map((row, i) => {
    const line = row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
    return i === 0 ? `${line}\n${widths.map((w) => '─'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

/** The header lines of one shape: its workspace and its parse candidates. */
function shapeHeader(shape: ShapeName, s: ShapeResults): string[] {
  const w = s.workspace;
  const lines = [`[${shape}] Workspace: ${int(w.files)} files, ${(w.bytes / 1e6).toFixed(1)} MB, ${int(w.lines)} lines (Dart ${int(w.byFamily.dart.files)}, Swift ${int(w.byFamily.swift.files)}, TS/JS ${int(w.byFamily.ts.files)}, XML ${int(w.byFamily.xml.files)}); ${int(w.pinningFiles)} with pinning code; ${int(w.noiseFiles)} noise files (${(w.noiseBytes / 1e6).toFixed(1)} MB) in skipped folders; seed ${w.seed}`];
  if (s.triggers) {
    const t = s.triggers;
    const share = (files: number) => `${(100 * files / t.files).toFixed(1)}%`;
    lines.push(`[${shape}] Parse candidates (a trigger word of a rule for the file's language): ${int(t.candidateFiles)} files = ${share(t.candidateFiles)} of files, ${(100 * t.candidateBytes / t.bytes).toFixed(1)}% of bytes; most common: ${t.byTrigger.slice(0, 8).map((x) => `${x.trigger} ${share(x.files)}`).join(', ')}`);
    if (t.byName.length > 0) lines.push(`[${shape}]   names holding them in the candidates: ${t.byName.slice(0, 10).map((x) => `${x.name} ${share(x.files)}`).join(', ')}`);
  }
  return lines;
}

function shapeRows(shape: ShapeName, s: ShapeResults): string[][] {
  const rows: string[][] = [];
  const mb = s.workspace.bytes / 1e6;
  const findings = (c: CliScanResult) => `${int(c.findings)} findings in ${int(c.files)} files`;
  if (s.scan) {
    const c = s.scan;
    rows.push([`[${shape}] Workspace scan, CLI (whole tree)`, ms(c.wallMs), `${int(Math.round(s.workspace.files / (c.wallMs / 1000)))} files/s · ${(mb / (c.wallMs / 1000)).toFixed(1)} MB/s${cpu(c.cpuMs, c.wallMs, c.systemMs, c.minorFaults)} · peak RSS ${mib(c.peakRssMiB)} · ${findings(c)} · ${c.runs.length} runs`]);
    const byRule = Object.entries(c.findingsByRule).sort((a, b) => b[1] - a[1]);
    rows.push(['  findings by rule', '', byRule.map(([rule, n]) => `${rule} ${int(n)}`).join(' · ')]);
  }
  if (s.warmScan) {
    const c = s.warmScan;
    if (!c.supported) rows.push([`[${shape}] Warm scan, CLI --cache`, c.reason, '']);
    else {
      const same = s.scan ? (c.findings === s.scan.findings ? ' (as the cold scan)' : ` (cold scan: ${int(s.scan.findings)})`) : '';
      rows.push([`[${shape}] Warm scan, CLI --cache`, ms(c.wallMs), `filling the cache took ${ms(c.firstRunMs)}${cpu(c.cpuMs, c.wallMs)} · peak RSS ${mib(c.peakRssMiB)} · ${findings(c)}${same} · ${c.runs.length} runs`]);
    }
  }
  if (s.ripgrep) {
    const g = s.ripgrep;
    rows.push([`[${shape}] rg, trigger words (whole tree)`, ms(g.wallMs), `${int(g.matchedFiles)} files match · ${(mb / (g.wallMs / 1000)).toFixed(0)} MB/s${cpu(g.cpuMs, g.wallMs, g.systemMs, g.minorFaults)} · ${g.version} · ${g.runs.length} runs`]);
    if (s.scan) rows.push(['  ours / rg', `${(s.scan.wallMs / g.wallMs).toFixed(1)}`, `cold scan${Number.isNaN(s.scan.cpuMs / g.cpuMs) ? '' : ` · CPU ${(s.scan.cpuMs / g.cpuMs).toFixed(1)}× rg's`}`]);
    if (s.warmScan?.supported) rows.push(['  ours / rg, warm', `${(s.warmScan.wallMs / g.wallMs).toFixed(1)}`, 'scan --cache']);
  }
  if (s.withoutTriggerWords) {
    const q = s.withoutTriggerWords;
    rows.push([`[${shape}] Scan, only the ${int(q.files)} files w/o trigger words`, ms(q.scanMs), `${(q.bytes / 1e6).toFixed(1)} MB, nothing to parse${cpu(q.scanCpuMs, q.scanMs)} · peak RSS ${mib(q.scanPeakRssMiB)} · rg on them ${ms(q.rgMs)} (${q.rgMatches} matches) · ours / rg ${(q.scanMs / q.rgMs).toFixed(1)}`]);
  }
  for (const [language, l] of Object.entries(s.editLatency ?? {})) {
    rows.push([`[${shape}] Edit → diagnostics, ${language} 5,000 lines`, ms(l.p50Ms), `p95 ${ms(l.p95Ms)} · max ${ms(l.maxMs)} · ${l.edits} edits`]);
  }
  return rows;
}

export function formatReport(r: BenchResults): string {
  const lines: string[] = [];
  lines.push(`Pinning Audit benchmark${r.meta.label ? ` (${r.meta.label})` : ''} — ${r.meta.date}, node ${r.meta.node}, ${r.meta.cpus} × ${r.meta.cpuModel}${r.meta.commit ? `, commit ${r.meta.commit}` : ''}${r.meta.loadAverage ? `, load average ${r.meta.loadAverage.start.toFixed(1)} at start, ${r.meta.loadAverage.end?.toFixed(1) ?? '?'} at end` : ''}`);
  for (const [shape, s] of shapesOf(r)) lines.push(...shapeHeader(shape, s));
  lines.push('');
  const rows: string[][] = [['Measurement', 'Median', 'Detail']];
  for (const [shape, s] of shapesOf(r)) rows.push(...shapeRows(shape, s));
  if (r.eslint) {
    const e = r.eslint;
    rows.push(['[mono] ESLint + SonarJS TLS rules (TS/JS part)', ms(e.wallMs), `${int(e.files)} files · ${int(e.findings)} findings · ${e.parseErrors} parse errors · eslint ${e.versions.eslint}, sonarjs ${e.versions['eslint-plugin-sonarjs']} · ${e.runs.length} runs`]);
    const scan = r.shapes.mono?.scan;
    if (scan) rows.push(['  ours / ESLint', `${(scan.wallMs / e.wallMs).toFixed(3)}`, `ESLint takes ${(e.wallMs / scan.wallMs).toFixed(1)}× as long (on half the files)`]);
  }
  if (r.serverMemory) {
    const m = r.serverMemory;
    rows.push(['[mono] Server RSS after workspace scan', mib(m.afterScanRssMiB), `peak ${mib(m.afterScanPeakRssMiB)} · scan took ${ms(m.scanMs)} · ${int(m.filesWithDiagnostics)} files with diagnostics`]);
    rows.push([`[mono] Server RSS after ${int(m.edits)} edits`, mib(m.afterEditsRssMiB), `peak ${mib(m.afterEditsPeakRssMiB)} · three 5,000-line files open`]);
  }
  if (r.coldStart) {
    rows.push(['Cold start → first diagnostics', ms(r.coldStart.ms), `spawn → publishDiagnostics of one opened file · ${r.coldStart.runs.length} runs`]);
  }
  if (r.emptyScan) {
    rows.push(['CLI scan of an empty folder', ms(r.emptyScan.wallMs), `spawn to exit · peak RSS ${mib(r.emptyScan.peakRssMiB)} · ${r.emptyScan.runs.length} runs`]);
  }
  if (r.nodeStart) {
    const without = r.nodeStart.withoutExtraCaCertsMs;
    rows.push(['  Node start-up alone (node -e 0)', ms(r.nodeStart.ms), `${without === undefined ? '' : `${ms(without)} without NODE_EXTRA_CA_CERTS (set here; Node 20 reads it as it starts) · `}${r.nodeStart.runs} runs`]);
  }
  lines.push(table(rows));
  lines.push('');
  const status = (b: Budget) => (b.met === undefined ? '–' : b.met ? 'met' : 'NOT MET');
  lines.push(table([['Budget', 'Measured', 'Limit', 'Status'], ...r.budgets.map((b) => [b.name, b.measured, b.limit, status(b)])]));
  return `${lines.join('\n')}\n`;
}
