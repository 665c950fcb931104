import type { CompileCosts, ValidationRow } from './engineCosts';
import type { OpResult } from './measure';
import { ms, table, times } from './stats';

export interface BundleFigure {
  readonly group: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly initMs: number;
  /** CPU time of the same loads; steadier than `initMs` on a shared machine. */
  readonly cpuMs?: number;
}

export type BundleOutcome = { readonly figures: BundleFigure[] } | { readonly skipped: string };

function targetText(row: OpResult): string {
  if (row.target === null) return '–';
  const verdict = (r: number) => (r <= row.target! ? 'met' : 'MISSED');
  return `≤${row.target}×: p50 ${verdict(row.ratio.p50)}, p99 ${verdict(row.ratio.p99)}`;
}

export function operationsTable(rows: readonly OpResult[]): string {
  const withHttp = rows.some((r) => r.http);
  const header = ['operation', 'API p50', 'API p99', 'raw op', 'raw p50', 'raw p99', 'ratio p50', 'ratio p99', 'target', 'API−SDK p50', ...(withHttp ? ['HTTP p50', 'HTTP p99'] : [])];
  return table([
    header,
    ...rows.map((r) => [
      r.operation,
      ms(r.api.p50),
      ms(r.api.p99),
      r.rawOp,
      ms(r.raw.p50),
      ms(r.raw.p99),
      times(r.ratio.p50),
      times(r.ratio.p99),
      targetText(r),
      ms(r.apiOutsideSdk.p50),
      ...(withHttp ? [ms(r.http?.p50 ?? Number.NaN), ms(r.http?.p99 ?? Number.NaN)] : []),
    ]),
  ]);
}

export function wireTable(rows: readonly OpResult[]): string {
  return rows
    .map((r) => {
      const lines = [r.operation, `  API: ${r.wire.api}`, `  raw: ${r.wire.raw}`];
      const extra = r.extraReads;
      if (extra.calls > 0) {
        lines.push(
          `  ${extra.calls} of ${r.api.n} API calls sent more than the usual ${extra.usualRequests} request(s): cache re-reads after a TTL; ` +
            `API p99 without them ${ms(extra.apiP99Without)} ms (ratio ${times(extra.apiP99Without / r.raw.p99)})`,
        );
      }
      if (r.note) lines.push(`  note: ${r.note}`);
      return lines.join('\n');
    })
    .join('\n');
}

export function compileTable(c: CompileCosts): string {
  return table([
    ['template', 'object', 'fields', 'first build', 'p50 build', 'p99 build'],
    ...c.rows.map((r) => [r.source, r.object, String(r.fields), `${ms(r.firstMs)} ms`, `${ms(r.p50Ms)} ms`, `${ms(r.p99Ms)} ms`]),
  ]);
}

/** Microsecond costs: `heading` names the unit each row is per (record, call). */
export function microsTable(heading: string, rows: readonly ValidationRow[]): string {
  return table([[heading, 'p50', 'p99'], ...rows.map((r) => [r.what, `${r.p50Us.toFixed(1)} µs`, `${r.p99Us.toFixed(1)} µs`])]);
}

export function bundlesText(outcome: BundleOutcome): string {
  if ('skipped' in outcome) return `(skipped: ${outcome.skipped})`;
  return table([
    ['group', 'bytes', 'gzip bytes', 'init', 'init CPU'],
    ...outcome.figures.map((f) => [f.group, f.bytes.toLocaleString('en'), f.gzipBytes.toLocaleString('en'), `${ms(f.initMs)} ms`, f.cpuMs === undefined ? '–' : `${ms(f.cpuMs)} ms`]),
  ]);
}
