import type { Environment } from './environment';
import { summarize } from './stats';
import type { Summary } from './stats';

export interface Settings {
  readonly iterations: number;
  readonly warmup: number;
  readonly seedRecords: number;
  /** Also time each operation through the local HTTP server (an extra column). */
  readonly http: boolean;
}

/** One row of the report: an API operation beside the raw DynamoDB operation it stands on. */
export interface OpResult {
  readonly operation: string;
  readonly rawOp: string;
  readonly api: Summary;
  readonly raw: Summary;
  readonly http: Summary | null;
  readonly ratio: { readonly p50: number; readonly p99: number };
  /** Highest acceptable API/raw ratio, where the issue sets one. */
  readonly target: number | null;
  /** Per API call: its time minus the time spent inside DynamoDB client calls (middy, token, caller, metadata, engine, JSON). */
  readonly apiOutsideSdk: Summary;
  /**
   * Measured API calls that sent more DynamoDB requests than the fewest any call sent — the
   * re-reads of per-container caches whose TTL expired (metadata head, caller) — and the
   * API p99 without them.
   */
  readonly extraReads: { readonly usualRequests: number; readonly calls: number; readonly apiP99Without: number };
  /** What each side sent to DynamoDB in one probe call, to show they are the same shape. */
  readonly wire: { readonly api: string; readonly raw: string };
  readonly note?: string;
}

/** One timed call of iteration `i`; resolves to its latency in milliseconds. */
export type Runner = (i: number) => Promise<number>;

/** What one API call did besides its own latency. */
interface Trace {
  readonly outsideSdk: number;
  readonly requests: number;
}

export interface Measured {
  /** Samples by runner name, warm-up dropped. */
  readonly samples: Record<string, number[]>;
  /** One trace per measured `api` sample, in the same order. */
  readonly traces: Trace[];
}

/**
 * Runs every runner `warmup + iterations` times, interleaved and rotating which goes first,
 * so drift in DynamoDB Local (JIT, GC, growing tables) falls on all sides equally. The
 * runner named `api` is traced: its time outside DynamoDB calls and its request count.
 */
export async function measure(env: Environment, settings: Settings, runners: Record<string, Runner>): Promise<Measured> {
  const names = Object.keys(runners);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const traces: Trace[] = [];
  const clock = env.apiSdk;
  for (let i = 0; i < settings.warmup + settings.iterations; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const before = { ms: clock.ms, requests: clock.requests };
      const ms = await runners[name]!(i);
      if (i < settings.warmup) continue;
      samples[name]!.push(ms);
      if (name === 'api') traces.push({ outsideSdk: ms - (clock.ms - before.ms), requests: clock.requests - before.requests });
    }
  }
  return { samples, traces };
}

/** Each side's runner, plus the HTTP one when enabled. */
export function sides(settings: Settings, api: Runner, raw: Runner, http: Runner): Record<string, Runner> {
  return settings.http ? { api, raw, http } : { api, raw };
}

export function opResult(
  row: { operation: string; rawOp: string; target: number | null; wire: OpResult['wire']; note?: string | undefined },
  { samples, traces }: Measured,
): OpResult {
  const api = summarize(samples.api!);
  const raw = summarize(samples.raw!);
  const usual = Math.min(...traces.map((t) => t.requests));
  const plain = samples.api!.filter((_, k) => traces[k]!.requests <= usual);
  return {
    operation: row.operation,
    rawOp: row.rawOp,
    api,
    raw,
    http: samples.http ? summarize(samples.http) : null,
    ratio: { p50: api.p50 / raw.p50, p99: api.p99 / raw.p99 },
    target: row.target,
    apiOutsideSdk: summarize(traces.map((t) => t.outsideSdk)),
    extraReads: { usualRequests: usual, calls: traces.length - plain.length, apiP99Without: summarize(plain).p99 },
    wire: row.wire,
    ...(row.note ? { note: row.note } : {}),
  };
}
