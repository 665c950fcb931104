import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/store/keys';
import { expectStatus } from './apiClient';
import type { Answer, Call, ListBody, RecordBody } from './apiClient';
import type { Environment } from './environment';
import { pool } from './environment';
import { dealInput, rng } from './fixture';
import type { ListQuery } from './listQueries';
import { measure, opResult, sides } from './measure';
import type { OpResult, Runner, Settings } from './measure';
import { captureCreateTemplate, createItems, rawCounterThenTransact, rawGet, rawPatch, rawQuery, rawTransact } from './rawOps';
import type { CreateTemplate } from './rawOps';
import { ms, summarize, times } from './stats';
import { wireSummary } from './wireLog';

/** The targets: API create ≤ 1.5× the transaction it stands on, list ≤ 1.5× the raw Query. */
const TARGET = 1.5;

const timedCall = async (call: Promise<Answer>, status: number, what: string) => expectStatus(await call, status, what).ms;

/**
 * The operations measured, each API call beside its raw comparator. Before timing, one
 * probe call per side is recorded on the wire, so the report shows both sent the same
 * requests; lists also check that both read the same page.
 */
export class Scenarios {
  private readonly random = rng(42);
  private seeded: string[] = [];
  /** Records each side created, with their current version, for the patch scenario. */
  private readonly created = { api: [] as Array<{ id: string; version: number }>, raw: [] as string[], http: [] as Array<{ id: string; version: number }> };

  constructor(
    private readonly env: Environment,
    private readonly settings: Settings,
  ) {}

  private input(i: number, tag: string) {
    return dealInput(i, tag, this.env.userId, this.random);
  }

  private recordKey(object: string, id: string) {
    return keys.record(this.env.tenant, object, id);
  }

  private run(runners: Record<string, Runner>) {
    return measure(this.env, this.settings, runners);
  }

  /**
   * One cheap authenticated call just before a probe, so the probe shows the steady-state
   * requests rather than a cache re-read (metadata head, caller) whose TTL happened to expire.
   */
  private async refreshCaches(): Promise<void> {
    expectStatus(await this.env.lambda({ method: 'GET', path: '/api/objects/deal/records?limit=1' }), 200, 'cache refresh');
  }

  /** Seeds the list partitions through the API (four in flight), which also warms DynamoDB Local and the handler. */
  async seed(): Promise<number> {
    const started = performance.now();
    const ids: string[] = new Array(this.settings.seedRecords);
    await pool(this.settings.seedRecords, 4, async (i) => {
      const res = expectStatus<RecordBody>(await this.env.lambda({ method: 'POST', path: '/api/objects/deal/records', body: this.input(i, 'seed') }), 201, 'seed');
      ids[i] = String(res.body.id);
    });
    this.seeded = ids;
    return performance.now() - started;
  }

  /** A list through an index, beside the raw Query of the same index, partition and page size. */
  async list({ name, query, raw, servedBy, object = 'deal' }: ListQuery & { object?: string }): Promise<OpResult> {
    const env = this.env;
    const call: Omit<Call, 'token'> = { method: 'GET', path: `/api/objects/${object}/records?${query}` };
    const limit = Number(raw.Limit);
    await this.refreshCaches();
    const apiProbe = await env.wire.capture(() => env.lambda(call));
    const answer = expectStatus<ListBody>(apiProbe.result, 200, name);
    if (answer.body.meta.servedBy !== servedBy) throw new Error(`${name}: served by ${answer.body.meta.servedBy}, expected ${servedBy}`);
    if (answer.body.items.length !== limit) throw new Error(`${name}: the API returned ${answer.body.items.length} items, expected a full page of ${limit}`);
    const rawProbe = await env.wire.capture(async () => (await env.raw.send(new QueryCommand(raw))).Items ?? []);
    // Same index, same partition, same order: the raw page must be the page the API returned.
    const apiIds = answer.body.items.map((r) => r.id).join();
    if (apiIds !== rawProbe.result.map((item) => String(item.id)).join()) throw new Error(`${name}: the raw Query returned a different page than the API`);

    // When the API asks DynamoDB for more than a page, the raw Query at the API's Limit is timed too, to show what that costs.
    const apiLimit = apiProbe.requests.find((r) => r.operation === 'Query')?.limit;
    const wider = apiLimit !== undefined && apiLimit !== limit ? { ...raw, Limit: apiLimit } : null;
    const measured = await this.run({
      ...sides(
        this.settings,
        () => timedCall(env.lambda(call), 200, name),
        () => rawQuery(env.raw, raw),
        () => timedCall(env.http(call), 200, name),
      ),
      ...(wider ? { rawAtApiLimit: () => rawQuery(env.raw, wider, true) } : {}),
    });
    let note: string | undefined;
    if (wider && measured.samples.rawAtApiLimit) {
      const w = summarize(measured.samples.rawAtApiLimit);
      const api = summarize(measured.samples.api!);
      note =
        `the API's Query asks for Limit ${apiLimit} to fill a page of ${limit}; the raw Query at Limit ${apiLimit} takes p50 ${ms(w.p50)} / p99 ${ms(w.p99)} ms, ` +
        `so against it the API is ${times(api.p50 / w.p50)} / ${times(api.p99 / w.p99)}`;
    }
    const wire = { api: wireSummary(apiProbe.requests), raw: wireSummary(rawProbe.requests) };
    return opResult({ operation: name, rawOp: `Query ${raw.IndexName} Limit ${limit}`, target: TARGET, wire, note }, measured);
  }

  async get(): Promise<OpResult> {
    const env = this.env;
    const id = (i: number) => this.seeded[(i * 7) % this.seeded.length]!;
    const call = (i: number): Omit<Call, 'token'> => ({ method: 'GET', path: `/api/objects/deal/records/${id(i)}` });
    const rawGetOf = (i: number) => rawGet(env.raw, env.tableName, this.recordKey('deal', id(i)));
    await this.refreshCaches();
    const apiProbe = await env.wire.capture(() => env.lambda(call(0)));
    const rawProbe = await env.wire.capture(() => rawGetOf(0));
    const measured = await this.run(
      sides(
        this.settings,
        (i) => timedCall(env.lambda(call(i)), 200, 'get'),
        rawGetOf,
        (i) => timedCall(env.http(call(i)), 200, 'get'),
      ),
    );
    const wire = { api: wireSummary(apiProbe.requests), raw: wireSummary(rawProbe.requests) };
    return opResult({ operation: 'get', rawOp: 'GetItem (consistent)', target: null, wire }, measured);
  }

  /** The items of one API create of `object`, read back as the template of raw creates. */
  private async template(object: string): Promise<{ template: CreateTemplate; wire: string }> {
    const env = this.env;
    const body = this.input(0, `probe-${object}`);
    await this.refreshCaches();
    const probe = await env.wire.capture(() => env.lambda({ method: 'POST', path: `/api/objects/${object}/records`, body }));
    const id = expectStatus<RecordBody>(probe.result, 201, `${object} probe`).body.id;
    const template = await captureCreateTemplate(env.raw, env.tableName, env.tenant, object, id, String(body.contact_email), env.userId);
    return { template, wire: wireSummary(probe.requests) };
  }

  async create(): Promise<OpResult> {
    const env = this.env;
    const { template, wire } = await this.template('deal');
    const rawCreate = async (tag: string, i: number, keep: boolean) => {
      const id = env.newId();
      const items = createItems(template, id, env.newId(), `buyer.${tag}.${i}@northwind-traders.example`);
      const elapsed = await rawTransact(env.raw, items);
      if (keep) this.created.raw.push(id);
      return elapsed;
    };
    const rawProbe = await env.wire.capture(() => rawCreate('rawprobe', 0, false));
    const post = async (via: 'api' | 'http', i: number) => {
      const answer = expectStatus<RecordBody>(await (via === 'api' ? env.lambda : env.http)({ method: 'POST', path: '/api/objects/deal/records', body: this.input(i, via) }), 201, 'create');
      this.created[via].push({ id: String(answer.body.id), version: Number(answer.body.version) });
      return answer.ms;
    };
    const measured = await this.run(
      sides(
        this.settings,
        (i) => post('api', i),
        (i) => rawCreate('raw', i, true),
        (i) => post('http', i),
      ),
    );
    return opResult({ operation: 'create', rawOp: 'TransactWriteItems (4 items)', target: TARGET, wire: { api: wire, raw: wireSummary(rawProbe.requests) } }, measured);
  }

  /** Patches the records the create scenario made, each side its own, each record about once. */
  async patch(): Promise<OpResult> {
    const env = this.env;
    // Every call changes two fields to values the record does not have yet: an unchanged patch sends no transaction.
    const change = (n: number) => ({ probability: n % 101, next_step: `Follow up on the quote, round ${n}` });
    const viaApi = async (via: 'api' | 'http', i: number, n = i) => {
      const target = this.created[via][i % this.created[via].length]!;
      const answer = expectStatus<RecordBody>(
        await (via === 'api' ? env.lambda : env.http)({ method: 'PATCH', path: `/api/objects/deal/records/${target.id}`, body: change(n), headers: { 'if-match': `"${target.version}"` } }),
        200,
        'patch',
      );
      target.version = Number(answer.body.version);
      return answer.ms;
    };
    const viaRaw = (i: number, n = i) =>
      rawPatch(env.raw, env.tableName, this.recordKey('deal', this.created.raw[i % this.created.raw.length]!), change(n), {
        historyId: env.newId(),
        userId: env.userId,
        at: new Date().toISOString(),
      });
    await this.refreshCaches();
    const apiProbe = await env.wire.capture(() => viaApi('api', 0, 1_000_000));
    const rawProbe = await env.wire.capture(() => viaRaw(0, 1_000_000));
    const measured = await this.run(sides(this.settings, (i) => viaApi('api', i), viaRaw, (i) => viaApi('http', i)));
    const wire = { api: wireSummary(apiProbe.requests), raw: wireSummary(rawProbe.requests) };
    return opResult({ operation: 'patch', rawOp: 'GetItem + TransactWriteItems (2 items)', target: null, wire }, measured);
  }

  /** A create that draws an auto-number first: one UpdateItem (counter ADD), then the same transaction. */
  async createWithAutoNumber(): Promise<OpResult> {
    const env = this.env;
    const { template, wire } = await this.template('numbered_deal');
    const counter = keys.counter(env.tenant, 'numbered_deal', 'code');
    const rawCreate = (tag: string, i: number) =>
      rawCounterThenTransact(env.raw, env.tableName, counter, env.tenant, createItems(template, env.newId(), env.newId(), `buyer.${tag}.${i}@northwind-traders.example`));
    const rawProbe = await env.wire.capture(() => rawCreate('nrawprobe', 0));
    const measured = await this.run({
      api: (i) => timedCall(env.lambda({ method: 'POST', path: '/api/objects/numbered_deal/records', body: this.input(i, 'napi') }), 201, 'create numbered'),
      raw: (i) => rawCreate('nraw', i),
    });
    return opResult({ operation: 'create with auto-number', rawOp: 'UpdateItem + TransactWriteItems', target: TARGET, wire: { api: wire, raw: wireSummary(rawProbe.requests) } }, measured);
  }
}
