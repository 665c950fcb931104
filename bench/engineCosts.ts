import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { createAjv } from '../functions/engine/ajv';
import { compileBundle } from '../functions/engine/compile/compileBundle';
import type { CompiledObject } from '../functions/engine/compile/compileObject';
import { assignSlots } from '../functions/engine/metadata/indexes';
import type { MetadataBundle } from '../functions/engine/metadata/types';
import { planCreate } from '../functions/engine/records/planWrites';
import { templatesDir, loadTemplate } from '../functions/api/templates/catalog';
import { benchBundle, dealInput, rng } from './fixture';
import { summarize } from './stats';

export interface CompileRow {
  readonly source: string;
  readonly object: string;
  readonly fields: number;
  /** First compile of this object in the process (the first object also warms ajv's code generation). */
  readonly firstMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface CompileCosts {
  readonly rows: CompileRow[];
  /** `compileBundle()` itself: one ajv instance with formats, paid once per tenant+version. */
  readonly bundleSetup: { firstMs: number; p50Ms: number };
  /**
   * The first compile on a fresh ajv instance also compiles ajv's JSON Schema 2020-12
   * meta-schema validator (to check the schema itself): measured alone with
   * `validateSchema()` on fresh instances. Every compiled bundle has its own instance.
   */
  readonly metaSchemaP50Ms: number;
  readonly repeats: number;
}

/**
 * Compiled bundle build time per object, as `compileBundle(…).object(name)` records it in
 * `buildTimes()`. Each repeat builds a fresh bundle, so nothing is served from a cache.
 * Run first in the process, so `firstMs` is what a cold Lambda container pays.
 */
export function compileCosts(repeats: number): CompileCosts {
  const sources: Array<{ source: string; bundle: MetadataBundle }> = [
    { source: 'bench', bundle: benchBundle() },
    { source: 'crm-core', bundle: loadTemplate(join(templatesDir(), 'crm-core')).bundle },
  ];
  const samples = new Map<string, number[]>();
  const first = new Map<string, number>();
  const setup: number[] = [];
  for (let r = 0; r <= repeats; r++) {
    for (const { source, bundle } of sources) {
      const storage = assignSlots(bundle, null, null).storage;
      const started = performance.now();
      const compiled = compileBundle('bench', 1, bundle, storage);
      setup.push(performance.now() - started);
      for (const o of bundle.objects) compiled.object(o.name);
      for (const [name, ms] of Object.entries(compiled.buildTimes())) {
        const key = `${source}/${name}`;
        if (r === 0) first.set(key, ms);
        else samples.set(key, [...(samples.get(key) ?? []), ms]);
      }
    }
  }
  const meta: number[] = [];
  for (let r = 0; r < 10; r++) {
    const ajv = createAjv();
    const started = performance.now();
    ajv.validateSchema({ type: 'object' });
    meta.push(performance.now() - started);
  }
  const rows = sources.flatMap(({ source, bundle }) =>
    bundle.objects.map((o) => {
      const s = summarize(samples.get(`${source}/${o.name}`) ?? []);
      return { source, object: o.name, fields: o.fields.length, firstMs: first.get(`${source}/${o.name}`) ?? Number.NaN, p50Ms: s.p50, p99Ms: s.p99 };
    }),
  );
  return { rows, bundleSetup: { firstMs: setup[0] ?? Number.NaN, p50Ms: summarize(setup.slice(sources.length)).p50 }, metaSchemaP50Ms: summarize(meta).p50, repeats };
}

export interface ValidationRow {
  readonly what: string;
  /** Median over batches of the mean cost per record, in microseconds. */
  readonly p50Us: number;
  readonly p99Us: number;
}

/**
 * ajv validation cost per record on the bench object, beside the whole engine plan of a
 * create (defaults, validation, normalisation, index entries, guards, history) for scale.
 * Timed in batches: one call is below the timer's useful resolution.
 */
export function validationCosts(batches: number, batchSize: number): ValidationRow[] {
  const bundle = benchBundle();
  const object: CompiledObject = compileBundle('bench', 1, bundle, assignSlots(bundle, null, null).storage).object('deal');
  const random = rng(7);
  const manager = monotonicFactory()();
  const inputs = Array.from({ length: batchSize }, (_, i) => dealInput(i, 'v', manager, random));
  const invalid = inputs.map((r) => ({ ...r, amount: -1, stage: 'nope', contact_email: 'not-an-email', extra: true }));
  const patches = inputs.map((r, i) => ({ probability: (i * 7) % 101, next_step: `Call back ${i}` }));
  const ctx = { userId: manager, now: new Date(), newId: monotonicFactory() };

  const perRecordUs = (run: (i: number) => unknown): number[] => {
    const out: number[] = [];
    for (let b = 0; b < batches + 2; b++) {
      const started = performance.now();
      for (let i = 0; i < batchSize; i++) run(i);
      if (b >= 2) out.push(((performance.now() - started) * 1000) / batchSize); // two warm-up batches
    }
    return out;
  };
  const row = (what: string, run: (i: number) => unknown): ValidationRow => {
    const s = summarize(perRecordUs(run));
    return { what, p50Us: s.p50, p99Us: s.p99 };
  };
  return [
    row('ajv validateCreate, valid record', (i) => {
      if (!object.validateCreate(inputs[i])) throw new Error(JSON.stringify(object.validateCreate.errors));
    }),
    row('ajv validateCreate, invalid record (4 errors)', (i) => object.validateCreate(invalid[i])),
    row('ajv validatePatch, 2 changed fields', (i) => object.validatePatch(patches[i])),
    row('engine planCreate (whole create plan, ids within one ms)', (i) => planCreate(object, inputs[i], ctx, {})),
  ];
}
