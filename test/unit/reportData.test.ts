import { describe, expect, it } from 'vitest';
import type { ReportResult, ReportView } from '../../admin-ui/src/staff/reportData';
import { adHocQuery, chartRows, drillFilters, listUrl, seriesOf, timeKeyLabel } from '../../admin-ui/src/staff/reportData';

const trend: Pick<ReportView, 'filters' | 'groupings' | 'measures'> = {
  filters: [{ field: 'stage', op: 'in', value: 'won,lost' }],
  groupings: [{ field: 'close_date', unit: 'month' }, { field: 'stage' }],
  measures: [{ fn: 'count' }, { fn: 'sum', field: 'amount' }],
};
const trendResult: ReportResult = {
  dimensions: [
    { field: 'close_date', unit: 'month', keys: ['2026-01', '2026-02', '2026-03'], filters: { '2026-02': [{ field: 'close_date', op: 'between', value: '2026-02-01,2026-02-28' }] } },
    { field: 'stage', unit: null, keys: ['won', 'lost'] },
  ],
  groups: [
    { key: '2026-01', keys: ['2026-01', 'won'], count: 2, sum: { amount: 300 }, avg: {} },
    { key: '2026-03', keys: ['2026-03', 'lost'], count: 1, sum: { amount: 40 }, avg: {} },
  ],
  total: 3,
  complete: true,
};

describe('report charts from results', () => {
  it('with two groupings, draws the first measure as a series per key of the second, zero where a cell is empty (the empty month too)', () => {
    expect(seriesOf(trend, trendResult).map((s) => s.id)).toEqual(['s:won', 's:lost']);
    expect(chartRows(trend, trendResult)).toEqual([
      { key: '2026-01', 's:won': 2, 's:lost': 0 },
      { key: '2026-02', 's:won': 0, 's:lost': 0 },
      { key: '2026-03', 's:won': 0, 's:lost': 1 },
    ]);
  });

  it('with one grouping, draws the measures of the first one’s kind (amounts beside amounts, not beside counts)', () => {
    const roi = { groupings: [{ field: 'name' }], measures: [{ fn: 'sum', field: 'won_revenue' }, { fn: 'sum', field: 'actual_cost' }, { fn: 'count' }] } as const;
    const result: ReportResult = { dimensions: [{ field: 'name', unit: null, keys: ['Expo'] }], groups: [{ key: 'Expo', count: 1, sum: { won_revenue: 900, actual_cost: 300 }, avg: {} }], total: 1, complete: true };
    expect(seriesOf(roi, result).map((s) => s.id)).toEqual(['sum:won_revenue', 'sum:actual_cost']);
    expect(chartRows(roi, result)).toEqual([{ key: 'Expo', 'sum:won_revenue': 900, 'sum:actual_cost': 300 }]);
  });
});

describe('drill-down', () => {
  it('a point of a time bucket and a stage lists the bucket’s range and the stage, replacing the report’s filter on the stage', () => {
    expect(drillFilters(trend, trendResult, ['2026-02', 'won'])).toEqual([
      { field: 'close_date', op: 'between', value: '2026-02-01,2026-02-28' },
      { field: 'stage', op: 'eq', value: 'won' },
    ]);
  });

  it('a bar of records without a value lists the blank ones, keeping the report’s other filters', () => {
    const byOwner = { filters: [{ field: 'stage', op: 'in', value: 'proposal' }], groupings: [{ field: 'account' }] } as const;
    expect(drillFilters(byOwner, { dimensions: [] }, [null])).toEqual([{ field: 'stage', op: 'in', value: 'proposal' }, { field: 'account', op: 'isBlank', value: 'true' }]);
    expect(listUrl('opportunity', [{ field: 'stage', op: 'eq', value: 'won' }])).toBe('/app/o/opportunity?f=stage.eq.won');
  });
});

describe('labels and queries', () => {
  it.each([
    { key: '2026-03', unit: 'month', en: 'Mar 2026', zh: '2026年3月' },
    { key: '2026-Q2', unit: 'quarter', en: 'Q2 2026', zh: '2026年第2季度' },
    { key: '2026-W09', unit: 'week', en: 'W9 2026', zh: '2026年第9周' },
    { key: '2026', unit: 'year', en: '2026', zh: '2026年' },
  ] as const)('reads the $unit bucket $key in both languages', ({ key, unit, en, zh }) => {
    expect(timeKeyLabel(key, unit, 'en')).toBe(en);
    expect(timeKeyLabel(key, unit, 'zh-CN')).toBe(zh);
  });

  it('asks the aggregate API for the groupings and measures of an ad-hoc report', () => {
    expect(adHocQuery(trend)).toEqual({ groupBy: 'close_date:month,stage', sum: 'amount' });
  });
});
