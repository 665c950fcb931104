import { describe, expect, it } from 'vitest';
import { compileBundle } from '../../functions/engine/compile/compileBundle';
import { assignSlots } from '../../functions/engine/metadata/indexes';
import type { MetadataBundle } from '../../functions/engine/metadata/types';
import { validateMetadata } from '../../functions/engine/metadata/validateMetadata';
import { GroupedAggregate, parseGroupBy } from '../../functions/engine/reports/groupedAggregate';

const bundle: MetadataBundle = {
  objects: [
    {
      name: 'deal',
      label: { en: 'Deal' },
      nameField: 'name',
      fields: [
        { name: 'name', type: 'text', label: { en: 'Name' } },
        { name: 'stage', type: 'picklist', label: { en: 'Stage' }, options: [{ value: 'open', label: { en: 'Open' } }, { value: 'won', label: { en: 'Won' } }] },
        { name: 'hot', type: 'boolean', label: { en: 'Hot' } },
        { name: 'amount', type: 'currency', label: { en: 'Amount' } },
        { name: 'closes', type: 'date', label: { en: 'Closes' } },
        { name: 'notes', type: 'textarea', label: { en: 'Notes' } },
      ],
    },
  ],
  roles: [{ name: 'viewer', label: { en: 'Viewer' }, objects: { deal: { read: true, fields: { amount: 'hidden' } } } }],
};
const deal = compileBundle('t', 1, bundle, assignSlots(bundle, null, null).storage).object('deal');
const all = () => true;

describe('grouped aggregates (pure)', () => {
  it('lists empty months between the first and the last, zero-filled, and blank dates last', () => {
    const agg = new GroupedAggregate(deal, parseGroupBy(deal, 'closes:month', all).dimensions, { sum: ['amount'], avg: [], min: ['amount'], max: [] }, 'UTC');
    for (const r of [{ closes: '2026-04-10', amount: 5 }, { closes: '2026-01-31', amount: 2 }, { amount: 1 }, { closes: '2026-04-01', amount: 3 }]) agg.add(r);
    const { groups, dimensions } = agg.result();
    expect(groups.map((g) => [g.key, g.count, g.sum.amount, g.min?.amount])).toEqual([
      ['2026-01', 1, 2, 2],
      ['2026-02', 0, 0, null],
      ['2026-03', 0, 0, null],
      ['2026-04', 2, 8, 3],
      [null, 1, 1, 1],
    ]);
    expect(dimensions[0]!.filters!['2026-02']).toEqual([{ field: 'closes', op: 'between', value: '2026-02-01,2026-02-28' }]);
  });

  it('orders picklist keys by option order and booleans true first, and counts SLA marks per group', () => {
    const agg = new GroupedAggregate(deal, parseGroupBy(deal, 'stage,hot', all).dimensions, { sum: [], avg: [], min: [], max: [] }, 'UTC', true);
    agg.add({ stage: 'won', hot: false, _sla: { status: 'breached' } });
    agg.add({ stage: 'open', hot: false, _sla: { status: 'near' } });
    agg.add({ stage: 'open', hot: true, _sla: null });
    const { groups, dimensions } = agg.result();
    expect(dimensions.map((d) => d.keys)).toEqual([['open', 'won'], ['true', 'false']]);
    expect(groups.map((g) => [...g.keys!, g.count, g.sla])).toEqual([
      ['open', 'true', 1, { near: 0, breached: 0 }],
      ['open', 'false', 1, { near: 1, breached: 0 }],
      ['won', 'false', 1, { near: 0, breached: 1 }],
    ]);
  });

  it.each([
    { title: 'a hidden field is not groupable', groupBy: 'amount', visible: (f: string) => f !== 'amount', code: 'notGroupable' },
    { title: 'a date needs a unit', groupBy: 'closes', visible: all, code: 'timeUnitRequired' },
    { title: 'a unit must be known', groupBy: 'closes:decade', visible: all, code: 'unknownTimeUnit' },
    { title: 'only dates take a unit', groupBy: 'stage:year', visible: all, code: 'notTimeField' },
    { title: 'the owner has no unit', groupBy: 'owner:month', visible: all, code: 'notGroupable' },
    { title: 'at most two dimensions', groupBy: 'stage,hot,name', visible: all, code: 'tooManyGroupings' },
  ])('$title ($code)', ({ groupBy, visible, code }) => {
    expect(parseGroupBy(deal, groupBy, visible).problems.map((p) => p.code)).toEqual([code]);
  });
});

describe('report metadata (publish checks)', () => {
  const withReports = (reports: MetadataBundle['reports'], dashboards: MetadataBundle['dashboards'] = []): MetadataBundle => ({ ...bundle, reports, dashboards });
  const ok = { name: 'r', label: { en: 'R' }, object: 'deal', groupings: [{ field: 'closes', unit: 'quarter' as const }, { field: 'stage' }], measures: [{ fn: 'sum' as const, field: 'amount' }], chart: 'column' as const };

  it('accepts a sound report and dashboard', () => {
    expect(validateMetadata(withReports([ok], [{ name: 'd', label: { en: 'D' }, roles: ['viewer', 'admin'], tiles: [{ report: 'r', width: 'full' }] }]))).toEqual([]);
  });

  it.each([
    { title: 'a textarea grouping', change: { groupings: [{ field: 'notes' }] }, problem: '/reports/0/groupings/0/field notGroupable' },
    { title: 'an average of a picklist', change: { measures: [{ fn: 'avg', field: 'stage' }] }, problem: '/reports/0/measures/0/field notNumeric' },
    { title: 'startsWith on a currency', change: { filters: [{ field: 'amount', op: 'startsWith', value: '1' }] }, problem: '/reports/0/filters/0/op operatorNotSupported' },
    { title: 'a funnel of two groupings', change: { chart: 'funnel' }, problem: '/reports/0/chart oneGroupingChart' },
    { title: 'an unknown object', change: { object: 'nothing' }, problem: '/reports/0/object unknownObject' },
  ])('refuses $title', ({ change, problem }) => {
    const problems = validateMetadata(withReports([{ ...ok, ...change } as never]));
    expect(problems.map((p) => `${p.path} ${p.code}`)).toContain(problem);
  });
});
