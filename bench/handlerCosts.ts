import { invokeLambda } from './apiClient';
import type { Environment } from './environment';
import { summarize } from './stats';

export interface HandlerCostRow {
  readonly what: string;
  readonly p50Us: number;
  readonly p99Us: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Pieces of every API call that need no DynamoDB, timed one call at a time: they explain
 * the "API−SDK" column. Record ids are timed in a new millisecond each, as in the request
 * path, where a monotonic ULID cannot reuse the previous call's random part.
 */
export async function handlerCosts(env: Environment, n = 300): Promise<HandlerCostRow[]> {
  const time = async (what: string, run: () => Promise<unknown> | unknown, between?: () => Promise<unknown>): Promise<HandlerCostRow> => {
    const samples: number[] = [];
    for (let i = 0; i < n + 20; i++) {
      if (between) await between();
      const started = performance.now();
      const result = await run();
      // A run that times itself (the handler, without building its event) returns milliseconds.
      const ms = typeof result === 'number' ? result : performance.now() - started;
      if (i >= 20) samples.push(ms * 1000);
    }
    const s = summarize(samples);
    return { what, p50Us: s.p50, p99Us: s.p99 };
  };
  const health = async () => (await invokeLambda(env.handler, { method: 'GET', path: '/api/health', token: env.token })).ms;
  return [
    await time('middy stack + router, route without auth or DynamoDB (GET /api/health)', health),
    await time('bearer token verification (services.tokens.verify, jose HS256)', () => env.services.tokens.verify(env.token)),
    await time('record id (services.newId, ULID in a new millisecond)', () => env.services.newId(), () => sleep(1)),
  ];
}
