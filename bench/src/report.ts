import type { CliScanResult } from './measure/cli-scan';
import type { ColdStartResult } from './measure/cold-start';
import type { LatencySummary } from './measure/edit-latency';
import type { EslintResult } from './measure/eslint';
import type { RipgrepResult } from './measure/ripgrep';
import type { ServerMemoryResult } from './measure/server-memory';
import type { TriggerShare } from './measure/triggers';
import type { WorkspaceManifest } from './generate/workspace';

export interface BenchResults {
  meta: { date: string; label?: string; node: string; cpus: number; cpuModel: string; commit?: string; options: Record<string, unknown>; totalSeconds?: number; loadAverage?: { start: number; end?: number } };
  workspace: WorkspaceManifest;
  triggers?: Omit<TriggerShare, 'quietFiles'>;
  /** The same scan and rg pass over only the files without trigger words: a scan with nothing to parse. */
  withoutTriggerWords?: { files: number; bytes: number; scanMs: number; scanPeakRssMiB: number; rgMs: number; rgMatches: number };
  scan?: CliScanResult;
  ripgrep?: RipgrepResult;
  eslint?: EslintResult;
  editLatency?: Record<string, LatencySummary>;
  serverMemory?: ServerMemoryResult;
  coldStart?: ColdStartResult;
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

export function budgets(r: Omit<BenchResults, 'budgets'>): Budget[] {
  const out: Budget[] = [];
  const scan = r.scan?.wallMs;
  const eslintRatio = scan && r.eslint ? r.eslint.wallMs / scan : undefined;
  out.push({ name: 'Scan of the whole tree vs ESLint + SonarJS on the TS/JS part', measured: eslintRatio ? `${eslintRatio.toFixed(1)}× faster` : 'skipped', limit: '≥ 50× faster', met: eslintRatio === undefined ? undefined : eslintRatio >= 50 });
  const rgRatio = scan && r.ripgrep ? scan / r.ripgrep.wallMs : undefined;
  out.push({ name: 'Scan vs the rg trigger pass over the same tree', measured: rgRatio ? `${rgRatio.toFixed(1)}× rg` : 'skipped', limit: '≤ 5× (aim 3×)', met: rgRatio === undefined ? undefined : rgRatio <= 5 });
  for (const [language, l] of Object.entries(r.editLatency ?? {})) {
    out.push({ name: `Edit → diagnostics p95, 5,000-line ${language} file`, measured: ms(l.p95Ms), limit: '≤ 25 ms', met: l.p95Ms <= 25 });
  }
  if (!r.editLatency) out.push({ name: 'Edit → diagnostics p95', measured: 'skipped', limit: '≤ 25 ms' });
  const m = r.serverMemory;
  out.push({ name: `Server RSS after scanning ${int(r.workspace.files)} files`, measured: m ? mib(m.afterScanRssMiB) : 'skipped', limit: '≤ 250 MiB', met: m ? m.afterScanRssMiB <= 250 : undefined });
  out.push({ name: 'Cold start to first diagnostics', measured: r.coldStart ? ms(r.coldStart.ms) : 'skipped', limit: '≤ 400 ms', met: r.coldStart ? r.coldStart.ms <= 400 : undefined });
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
  return rows.map((row, i) => {
    const line = row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
    return i === 0 ? `${line}\n${widths.map((w) => '─'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

export function formatReport(r: BenchResults): string {
  const w = r.workspace;
  const mb = w.bytes / 1e6;
  const lines: string[] = [];
  lines.push(`Pinning Audit benchmark${r.meta.label ? ` (${r.meta.label})` : ''} — ${r.meta.date}, node ${r.meta.node}, ${r.meta.cpus} × ${r.meta.cpuModel}${r.meta.commit ? `, commit ${r.meta.commit}` : ''}${r.meta.loadAverage ? `, load average ${r.meta.loadAverage.start.toFixed(1)} at start, ${r.meta.loadAverage.end?.toFixed(1) ?? '?'} at end` : ''}`);
  lines.push(`Workspace: ${int(w.files)} files, ${mb.toFixed(1)} MB, ${int(w.lines)} lines (Dart ${int(w.byFamily.dart.files)}, Swift ${int(w.byFamily.swift.files)}, TS/JS ${int(w.byFamily.ts.files)}, XML ${int(w.byFamily.xml?.files ?? 0)}); ${int(w.pinningFiles)} with pinning code; ${int(w.noiseFiles)} noise files (${(w.noiseBytes / 1e6).toFixed(1)} MB) in skipped folders; seed ${w.seed}`);
  if (r.triggers) {
    const t = r.triggers;
    const top = t.byTrigger.slice(0, 8).map((x) => `${x.trigger} ${(100 * x.files / t.files).toFixed(1)}%`).join(', ');
    lines.push(`Parse candidates (a trigger word of a rule for the file's language): ${int(t.candidateFiles)} files = ${(100 * t.candidateFiles / t.files).toFixed(1)}% of files, ${(100 * t.candidateBytes / t.bytes).toFixed(1)}% of bytes; most common: ${top}`);
  }
  lines.push('');
  const rows: string[][] = [['Measurement', 'Median', 'Detail']];
  if (r.scan) {
    const s = r.scan;
    rows.push(['Workspace scan, CLI (whole tree)', ms(s.wallMs), `${int(Math.round(w.files / (s.wallMs / 1000)))} files/s · ${(mb / (s.wallMs / 1000)).toFixed(1)} MB/s · peak RSS ${mib(s.peakRssMiB)} · ${int(s.findings)} findings in ${int(s.files)} files · ${s.runs.length} runs`]);
  }
  if (r.ripgrep) {
    const g = r.ripgrep;
    rows.push(['rg, trigger words (whole tree)', ms(g.wallMs), `${int(g.matchedFiles)} files match · ${(mb / (g.wallMs / 1000)).toFixed(0)} MB/s · ${g.version} · ${g.runs.length} runs`]);
  }
  if (r.eslint) {
    const e = r.eslint;
    rows.push(['ESLint + SonarJS TLS rules (TS/JS part)', ms(e.wallMs), `${int(e.files)} files · ${int(e.findings)} findings · ${e.parseErrors} parse errors · eslint ${e.versions.eslint}, sonarjs ${e.versions['eslint-plugin-sonarjs']} · ${e.runs.length} runs`]);
  }
  if (r.scan && r.eslint) rows.push(['  ours / ESLint', `${(r.scan.wallMs / r.eslint.wallMs).toFixed(3)}`, `ESLint takes ${(r.eslint.wallMs / r.scan.wallMs).toFixed(1)}× as long (on half the files)`]);
  if (r.scan && r.ripgrep) rows.push(['  ours / rg', `${(r.scan.wallMs / r.ripgrep.wallMs).toFixed(1)}`, '']);
  if (r.withoutTriggerWords) {
    const q = r.withoutTriggerWords;
    rows.push([`Scan, only the ${int(q.files)} files w/o trigger words`, ms(q.scanMs), `${(q.bytes / 1e6).toFixed(1)} MB, nothing to parse · peak RSS ${mib(q.scanPeakRssMiB)} · rg on them ${ms(q.rgMs)} (${q.rgMatches} matches) · ours / rg ${(q.scanMs / q.rgMs).toFixed(1)}`]);
  }
  for (const [language, l] of Object.entries(r.editLatency ?? {})) {
    rows.push([`Edit → diagnostics, ${language} 5,000 lines`, ms(l.p50Ms), `p95 ${ms(l.p95Ms)} · max ${ms(l.maxMs)} · ${l.edits} edits`]);
  }
  if (r.serverMemory) {
    const m = r.serverMemory;
    rows.push(['Server RSS after workspace scan', mib(m.afterScanRssMiB), `peak ${mib(m.afterScanPeakRssMiB)} · scan took ${ms(m.scanMs)} · ${int(m.filesWithDiagnostics)} files with diagnostics`]);
    rows.push([`Server RSS after ${int(m.edits)} edits`, mib(m.afterEditsRssMiB), `peak ${mib(m.afterEditsPeakRssMiB)} · three 5,000-line files open`]);
  }
  if (r.coldStart) {
    rows.push(['Cold start → first diagnostics', ms(r.coldStart.ms), `spawn → publishDiagnostics of one opened file · ${r.coldStart.runs.length} runs`]);
  }
  lines.push(table(rows));
  lines.push('');
  const status = (b: Budget) => (b.met === undefined ? '–' : b.met ? 'met' : 'NOT MET');
  lines.push(table([['Budget', 'Measured', 'Limit', 'Status'], ...r.budgets.map((b) => [b.name, b.measured, b.limit, status(b)])]));
  return `${lines.join('\n')}\n`;
}
