/*
 * What a publish does to records on its own — filling a new index's slots on the records that
 * exist — is upkeep, not a change of theirs: the stream delivers those writes, but no after-save
 * rule runs for them and no webhook hears of them. (Changes a publish makes to values — migrations,
 * recomputed formulas — are ordinary versioned changes and do set rules off.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import type { StreamPoller } from '../../functions/local/streamPoller';
import { consumerPoller, settle } from '../support/stream';
import { taskFor } from '../support/fixtures';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

const L = (en: string) => ({ en });
const lead: ObjectDef = {
  name: 'lead',
  label: L('Lead'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'score', type: 'number', label: L('Score') },
  ],
};
const task = taskFor('lead', 'Lead');
// Every change of a lead — any event, any field — leaves a task behind.
const bundle = (leadDef: ObjectDef): MetadataBundle => ({
  objects: [leadDef, task],
  automationRules: [
    { name: 'on_every_change', object: 'lead', trigger: { on: 'createdOrUpdated' }, actions: [{ type: 'createRecord', object: 'task', values: { subject: { value: 'Look at the lead' }, lead: { field: 'id' } } }] },
  ],
});

let api: TestApi;
let token: string;
let poller: StreamPoller;

beforeAll(async () => {
  api = await createTestApi();
  token = (await api.tenant()).token;
  await api.publish(token, bundle(lead));
  poller = consumerPoller(api);
  await poller.drain();
}, 60_000);

afterAll(async () => poller?.stop());

const tasks = async () => (await api.call('GET', '/api/objects/task/records?limit=200', { token })).body.items as Array<{ lead: string }>;

describe('upkeep writes of a publish', () => {
  it('a new index filled in on existing records sets off no rule; a real change still does', async () => {
    const ids: string[] = [];
    for (const score of [3, 7, 11]) ids.push((await api.call('POST', '/api/objects/lead/records', { token, body: { name: `Lead ${score}`, score } })).body.id);
    await settle(poller);
    expect((await tasks()).map((t) => t.lead).sort()).toEqual([...ids].sort());

    const indexed: ObjectDef = { ...lead, fields: lead.fields.map((f) => (f.name === 'score' ? { ...f, indexed: true } : f)) };
    await api.call('PUT', '/api/metadata/draft', { token, body: bundle(indexed) });
    const published = await api.call('POST', '/api/metadata/publish', { token, body: {} });
    expect(published.status).toBe(201);
    expect(published.body.rebuiltIndexes).toEqual([{ object: 'lead', index: 'score', records: 3 }]);
    await settle(poller);
    expect(await tasks()).toHaveLength(3);
    // The index is filled in: it serves the filter.
    const high = await api.call('GET', '/api/objects/lead/records?filter[score][gte]=5', { token });
    expect(high.body.meta.servedBy).toBe('index:score');
    expect(high.body.items).toHaveLength(2);

    // A real change of a lead is still one.
    const one = (await api.call('GET', `/api/objects/lead/records/${ids[0]}`, { token })).body as { version: number };
    expect((await api.call('PATCH', `/api/objects/lead/records/${ids[0]}`, { token, body: { score: 4 }, headers: { 'if-match': String(one.version) } })).status).toBe(200);
    await settle(poller);
    expect(await tasks()).toHaveLength(4);
  });
});
