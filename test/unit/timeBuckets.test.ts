import { describe, expect, it } from 'vitest';
import { bucketFilters, bucketOf, bucketRange } from '../../functions/engine/reports/timeBuckets';

describe('time buckets', () => {
  it.each([
    { title: 'a datetime just after midnight in Shanghai is the next local day and month', value: '2026-01-31T16:30:00.000Z', type: 'datetime', unit: 'month', zone: 'Asia/Shanghai', key: '2026-02' },
    { title: 'the same instant in UTC stays in January', value: '2026-01-31T16:30:00.000Z', type: 'datetime', unit: 'month', zone: 'UTC', key: '2026-01' },
    { title: 'a date is its own day whatever the zone', value: '2026-03-31', type: 'date', unit: 'month', zone: 'America/New_York', key: '2026-03' },
    { title: 'ISO week: 1 January 2027 (a Friday) is in week 53 of 2026', value: '2027-01-01', type: 'date', unit: 'week', zone: 'UTC', key: '2026-W53' },
    { title: 'ISO week: 29 December 2025 (a Monday) is week 1 of 2026', value: '2025-12-29', type: 'date', unit: 'week', zone: 'UTC', key: '2026-W01' },
    { title: 'quarter', value: '2026-10-01', type: 'date', unit: 'quarter', zone: 'UTC', key: '2026-Q4' },
    { title: 'year', value: '2026-10-01', type: 'date', unit: 'year', zone: 'UTC', key: '2026' },
    { title: 'day of a datetime in New York', value: '2026-07-01T03:00:00Z', type: 'datetime', unit: 'day', zone: 'America/New_York', key: '2026-06-30' },
  ] as const)('$title', ({ value, type, unit, zone, key }) => {
    expect(bucketOf(value, type, unit, zone)).toBe(key);
  });

  it('blank and malformed values have no bucket', () => {
    expect(bucketOf(null, 'date', 'month', 'UTC')).toBeNull();
    expect(bucketOf('soon', 'datetime', 'month', 'UTC')).toBeNull();
  });

  it('lists every bucket between two, the empty ones included, across a year end', () => {
    expect(bucketRange('2025-11', '2026-02', 'month')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(bucketRange('2025-Q4', '2026-Q2', 'quarter')).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
    expect(bucketRange('2026-W52', '2027-W01', 'week')).toEqual(['2026-W52', '2026-W53', '2027-W01']);
    expect(bucketRange('2024-02-27', '2024-03-01', 'day')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(bucketRange('2024', '2026', 'year')).toEqual(['2024', '2025', '2026']);
  });

  it('a bucket drills down to the filters that list its records', () => {
    expect(bucketFilters('close_date', 'date', '2024-02', 'month', 'UTC')).toEqual([{ field: 'close_date', op: 'between', value: '2024-02-01,2024-02-29' }]);
    expect(bucketFilters('opened_at', 'datetime', '2026-02', 'month', 'Asia/Shanghai')).toEqual([
      { field: 'opened_at', op: 'gte', value: '2026-01-31T16:00:00.000Z' },
      { field: 'opened_at', op: 'lt', value: '2026-02-28T16:00:00.000Z' },
    ]);
  });
});
