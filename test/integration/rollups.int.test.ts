import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import type { ObjectDef } from '../../functions/engine/metadata/types';

const L = (en: string) => ({ en });
const account: ObjectDef = {
  name: 'account',
  label: L('Account'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'deals', type: 'rollup', label: L('Deals'), child: 'deal', via: 'account', function: 'count' },
    { name: 'pipeline', type: 'rollup', label: L('Pipeline'), child: 'deal', via: 'account', function: 'sum', field: 'amount' },
    { name: 'won_total', type: 'rollup', label: L('Won'), child: 'deal', via: 'account', function: 'sum', field: 'amount', where: { stage: 'won' } },
    { name: 'average', type: 'rollup', label: L('Average'), child: 'deal', via: 'account', function: 'avg', field: 'amount' },
    { name: 'smallest', type: 'rollup', label: L('Smallest'), child: 'deal', via: 'account', function: 'min', field: 'amount' },
    { name: 'largest', type: 'rollup', label: L('Largest'), child: 'deal', via: 'account', function: 'max', field: 'amount' },
  ],
};
const deal: ObjectDef = {
  name: 'deal',
  label: L('Deal'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'account', type: 'lookup', target: 'account', label: L('Account'), indexed: true },
    { name: 'amount', type: 'currency', label: L('Amount') },
    { name: 'stage', type: 'picklist', label: L('Stage'), options: [{ value: 'open', label: L('Open') }, { value: 'won', label: L('Won') }] },
  ],
};

let api: TestApi;
let token: string;
const accounts: string[] = [];

beforeAll(async () => {
  api = await createTestApi();
  token = (await api.tenant()).token;
  await api.publish(token, { objects: [account, deal] });
  for (const name of ['A', 'B', 'C']) accounts.push((await api.call('POST', '/api/objects/account/records', { token, body: { name } })).body.id);
});

/** Every roll-up of every account, recomputed from scratch from the deals. */
async function fromScratch() {
  const deals: Array<{ account?: string; amount?: number; stage?: string }> = [];
  let cursor: string | null = null;
  do {
    const res: { body: { items: typeof deals; nextCursor: string | null } } = await api.call('GET', `/api/objects/deal/records?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token });
    deals.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return Object.fromEntries(
    accounts.map((id) => {
      const mine = deals.filter((d) => d.account === id);
      const amounts = mine.map((d) => d.amount).filter((a): a is number => typeof a === 'number');
      const sum = amounts.reduce((a, b) => a + b, 0);
      const won = mine.filter((d) => d.stage === 'won').map((d) => d.amount ?? 0).reduce((a, b) => a + b, 0);
      return [id, { deals: mine.length, pipeline: sum, won_total: won, average: amounts.length ? sum / amounts.length : undefined, smallest: amounts.length ? Math.min(...amounts) : undefined, largest: amounts.length ? Math.max(...amounts) : undefined }];
    }),
  );
}

async function maintained() {
  const res = await api.call('GET', '/api/objects/account/records?limit=200', { token });
  return Object.fromEntries(
    res.body.items.map((a: Record<string, number | undefined> & { id: string }) => [a.id, { deals: a.deals, pipeline: a.pipeline, won_total: a.won_total, average: a.average, smallest: a.smallest, largest: a.largest }]),
  );
}

const close = (a: Record<string, Record<string, number | undefined>>, b: Record<string, Record<string, number | undefined>>) => {
  for (const id of Object.keys(b)) for (const [k, v] of Object.entries(b[id]!)) {
    if (v === undefined) expect(a[id]![k], `${id}.${k}`).toBeUndefined();
    else expect(a[id]![k], `${id}.${k}`).toBeCloseTo(v, 6);
  }
};

describe('roll-up summaries', () => {
  it('stay exact after random concurrent child creates, changes (amount, stage, parent) and deletes', async () => {
    const op = fc.record({ kind: fc.constantFrom('create', 'create', 'patch', 'delete'), account: fc.nat(2), amount: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }), stage: fc.constantFrom('open', 'won'), pick: fc.nat() });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 12 }), async (ops) => {
        const existing = (await api.call('GET', '/api/objects/deal/records?limit=200', { token })).body.items as Array<{ id: string; version: number }>;
        await Promise.all(
          ops.map(async (o, i) => {
            const target = existing[o.pick % Math.max(existing.length, 1)];
            if (o.kind === 'create' || !target) {
              return api.call('POST', '/api/objects/deal/records', { token, body: { name: `d${i}`, account: accounts[o.account], stage: o.stage, ...(o.amount !== undefined ? { amount: o.amount } : {}) } });
            }
            if (o.kind === 'delete') return api.call('DELETE', `/api/objects/deal/records/${target.id}`, { token });
            return api.call('PATCH', `/api/objects/deal/records/${target.id}`, { token, body: { account: accounts[o.account], stage: o.stage, amount: o.amount ?? null }, headers: { 'if-match': String(target.version) } });
          }),
        );
        close(await maintained(), await fromScratch());
      }),
      { numRuns: 12 },
    );
  });

  it('added over existing children are computed at publish; redefined ones are recomputed; a rollback re-adding them counts children written meanwhile', async () => {
    const own = (await api.tenant()).token;
    const plain: ObjectDef = { ...account, fields: account.fields.filter((f) => f.type !== 'rollup') };
    await api.publish(own, { objects: [plain, deal] });
    const post = async (object: string, body: Record<string, unknown>) => (await api.call('POST', `/api/objects/${object}/records`, { token: own, body })).body.id as string;
    const [a, b, c] = [await post('account', { name: 'A' }), await post('account', { name: 'B' }), await post('account', { name: 'C' })];
    for (const [parent, amount, stage] of [[a, 100, 'won'], [a, 250, 'open'], [a, undefined, 'open'], [b, 40, 'won']] as const) {
      await post('deal', { name: `${amount}`, account: parent, stage, ...(amount === undefined ? {} : { amount }) });
    }
    const rollups = async () => {
      const res = await api.call('GET', '/api/objects/account/records?limit=10', { token: own });
      return Object.fromEntries(res.body.items.map((r: Record<string, unknown>) => [r.id, { deals: r.deals, pipeline: r.pipeline, won_total: r.won_total, average: r.average, smallest: r.smallest, largest: r.largest }]));
    };
    const publish = async (objects: ObjectDef[]) => {
      expect((await api.call('PUT', '/api/metadata/draft', { token: own, body: { objects } })).status).toBe(200);
      const res = await api.call('POST', '/api/metadata/publish', { token: own, body: {} });
      expect(res.status).toBe(201);
      return res.body as { version: number; rolledUp?: Record<string, number> };
    };

    const added = await publish([account, deal]);
    // A and B have deals; C has none and nothing to write.
    expect(added.rolledUp).toEqual({ 'account.deals': 2, 'account.pipeline': 2, 'account.won_total': 2, 'account.average': 2, 'account.smallest': 2, 'account.largest': 2 });
    expect(await rollups()).toEqual({
      [a]: { deals: 3, pipeline: 350, won_total: 100, average: 175, smallest: 100, largest: 250 },
      [b]: { deals: 1, pipeline: 40, won_total: 40, average: 40, smallest: 40, largest: 40 },
      [c]: { deals: 0, pipeline: 0, won_total: 0 },
    });

    // Won becomes open: only that roll-up is computed again.
    const redefined = await publish([{ ...account, fields: account.fields.map((f) => (f.name === 'won_total' ? { ...f, where: { stage: 'open' } } : f)) }, deal]);
    expect(redefined.rolledUp).toEqual({ 'account.won_total': 2 });
    expect((await rollups())[a]!.won_total).toBe(250);
    expect((await rollups())[b]!.won_total).toBe(0);

    // Without roll-ups, a deal goes to C; rolling back to the version that had them counts it.
    await publish([plain, deal]);
    await post('deal', { name: 'late', account: c, stage: 'won', amount: 7 });
    const back = await api.call('POST', '/api/metadata/rollback', { token: own, body: { version: added.version } });
    expect(back.status).toBe(201);
    expect((await rollups())[c]).toEqual({ deals: 1, pipeline: 7, won_total: 7, average: 7, smallest: 7, largest: 7 });
    // Counters kept exact from there on, in the child's own transaction.
    await post('deal', { name: 'later', account: c, stage: 'open', amount: 3 });
    expect((await rollups())[c]).toEqual({ deals: 2, pipeline: 10, won_total: 7, average: 5, smallest: 3, largest: 7 });
  });

  it('work over a master-detail relationship: a detail’s writes keep the master’s totals, and its delete takes the details', async () => {
    const own = (await api.tenant()).token;
    const order: ObjectDef = { name: 'order', label: L('Order'), nameField: 'name', fields: [{ name: 'name', type: 'text', label: L('Name'), required: true }, { name: 'lines', type: 'rollup', label: L('Lines'), child: 'line', via: 'order', function: 'count' }, { name: 'total', type: 'rollup', label: L('Total'), child: 'line', via: 'order', function: 'sum', field: 'amount' }] };
    const line: ObjectDef = { name: 'line', label: L('Line'), nameField: 'name', fields: [{ name: 'name', type: 'text', label: L('Name'), required: true }, { name: 'order', type: 'lookup', target: 'order', label: L('Order'), relationship: 'master-detail', required: true, indexed: true }, { name: 'amount', type: 'currency', label: L('Amount') }] };
    await api.publish(own, { objects: [order, line] });
    const post = async (object: string, body: Record<string, unknown>) => (await api.call('POST', `/api/objects/${object}/records`, { token: own, body })).body as { id: string; version: number };
    const o = await post('order', { name: 'SO-1' });
    const lines = [await post('line', { name: 'a', order: o.id, amount: 30 }), await post('line', { name: 'b', order: o.id, amount: 12.5 })];
    const totals = async () => (await api.call('GET', `/api/objects/order/records/${o.id}`, { token: own })).body;
    expect(await totals()).toMatchObject({ lines: 2, total: 42.5 });
    expect((await api.call('PATCH', `/api/objects/line/records/${lines[1]!.id}`, { token: own, body: { amount: 2.5 }, headers: { 'if-match': `"${lines[1]!.version}"` } })).status).toBe(200);
    expect(await totals()).toMatchObject({ lines: 2, total: 32.5 });
    expect((await api.call('DELETE', `/api/objects/line/records/${lines[0]!.id}`, { token: own })).status).toBe(204);
    expect(await totals()).toMatchObject({ lines: 1, total: 2.5 });
    expect((await api.call('DELETE', `/api/objects/order/records/${o.id}`, { token: own })).status).toBe(204);
    expect((await api.call('GET', `/api/objects/line/records/${lines[1]!.id}`, { token: own })).status).toBe(404);
  });

  it('are read-only, cannot be filtered, and are refused in metadata without an index on the child lookup', async () => {
    const write = await api.call('POST', '/api/objects/account/records', { token, body: { name: 'x', deals: 5 } });
    expect(write.status).toBe(422);
    expect((await api.call('GET', '/api/objects/account/records?filter[deals][gt]=1', { token })).status).toBe(400);
    const unindexed = { ...deal, fields: deal.fields.map((f) => (f.name === 'account' ? { ...f, indexed: false } : f)) };
    await api.call('PUT', '/api/metadata/draft', { token, body: { objects: [account, unindexed] } });
    const res = await api.call('POST', '/api/metadata/validate', { token });
    expect(res.body.problems.map((p: { pointer: string; code: string }) => `${p.pointer} ${p.code}`)).toContain('/objects/0/fields/1/via needsIndex');
    await api.call('DELETE', '/api/metadata/draft', { token });
  });
});
