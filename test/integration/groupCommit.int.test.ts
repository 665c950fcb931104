import { beforeAll, describe, expect, it } from 'vitest';
import { createRecord, listRecords } from '../../functions/api/operations/records';
import type { UserContext } from '../../functions/api/auth/tokens';
import type { Services } from '../../functions/api/services';
import type { MetadataBundle } from '../../functions/engine/metadata/types';
import { groupCommits } from '../../functions/store/groupCommitRecordStore';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

/*
 * Writes committed side by side share one transaction on DynamoDB Local, and each caller still
 * gets its own answer: when one write's condition fails, the group is written one by one, so
 * only that write fails, with its own error. Roll-ups of a shared parent add up.
 */
const L = (en: string) => ({ en });
const bundle: MetadataBundle = {
  objects: [
    {
      name: 'company',
      label: L('Company'),
      nameField: 'name',
      fields: [
        { name: 'name', type: 'text', label: L('Name'), required: true },
        { name: 'deals', type: 'rollup', label: L('Deals'), child: 'deal', via: 'company', function: 'count' },
        { name: 'pipeline', type: 'rollup', label: L('Pipeline'), child: 'deal', via: 'company', function: 'sum', field: 'amount' },
      ],
    },
    {
      name: 'deal',
      label: L('Deal'),
      nameField: 'name',
      fields: [
        { name: 'name', type: 'text', label: L('Name'), required: true },
        { name: 'code', type: 'text', label: L('Code'), unique: true },
        { name: 'amount', type: 'currency', label: L('Amount') },
        { name: 'company', type: 'lookup', target: 'company', label: L('Company'), indexed: true },
      ],
    },
  ],
};

let api: TestApi;
let user: UserContext;
let company: string;
const grouped = (writers: number) => {
  const records = groupCommits(api.services.records, () => writers, 10_000);
  return { records, services: { ...api.services, records } as Services };
};

beforeAll(async () => {
  api = await createTestApi();
  const admin = await api.tenant();
  user = admin.user;
  await api.publish(admin.token, bundle);
  company = (await createRecord(api.services, user, 'company', { name: 'Acme' })).id;
});

describe('group commit', () => {
  it('commits writes made side by side as one transaction, each answered with its record; roll-ups of their parent add up', async () => {
    const { records, services } = grouped(5);
    const made = await Promise.all([1, 2, 3, 4, 5].map((i) => createRecord(services, user, 'deal', { name: `Deal ${i}`, code: `D-${i}`, amount: 100 * i, company })));
    expect(made.map((d) => d.name)).toEqual(['Deal 1', 'Deal 2', 'Deal 3', 'Deal 4', 'Deal 5']);
    expect(records.stats).toEqual({ groups: 1, grouped: 5, fallbacks: 0 });
    const parent = (await listRecords(api.services, user, 'company', {})).records.find((r) => r.id === company)!;
    expect(parent).toMatchObject({ deals: 5, pipeline: 1500 });
  });

  it('writes the group one by one when one write is refused: only that one fails, with its own error', async () => {
    const { records, services } = grouped(4);
    const outcomes = await Promise.allSettled([6, 7, 1, 8].map((i) => createRecord(services, user, 'deal', { name: `Deal ${i}`, code: `D-${i}`, amount: 10, company })));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'record.duplicate' });
    expect(records.stats).toMatchObject({ groups: 0, fallbacks: 1 });
    const parent = (await listRecords(api.services, user, 'company', {})).records.find((r) => r.id === company)!;
    expect(parent).toMatchObject({ deals: 8, pipeline: 1530 });
  });
});
