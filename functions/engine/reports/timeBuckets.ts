import { instantOf } from '../rules/durations';
import { dayIn } from '../time/tenantDay';

/*
 * Time buckets for grouped aggregates: a date or datetime value falls in one day, ISO week,
 * month, quarter or year of the tenant's time zone. Keys sort as text in time order
 * (`2026-03-05`, `2026-W10`, `2026-03`, `2026-Q1`, `2026`), so the buckets between the first
 * and the last can be listed — empty ones too — and each key names the filter that lists its records.
 */

export const TIME_UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export const isTimeUnit = (s: string): s is TimeUnit => (TIME_UNITS as readonly string[]).includes(s);

interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const ymdText = (p: Ymd) => `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
const fromDays = (days: number): Ymd => {
  const t = new Date(days * 86_400_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
};
const toDays = (p: Ymd) => Math.floor(Date.UTC(p.y, p.m - 1, p.d) / 86_400_000);

/** The calendar day a stored value falls on: a date is itself; a datetime is read in the zone. Null when blank or not a time. */
export function localDay(value: unknown, type: 'date' | 'datetime', timeZone: string): Ymd | null {
  if (typeof value !== 'string' || value === '') return null;
  const text = type === 'date' ? value : (() => {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : dayIn(new Date(t), timeZone);
  })();
  const m = text ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  return m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
}

/** ISO 8601 week: weeks start on Monday; week 1 holds the year's first Thursday. */
function isoWeek(p: Ymd): { year: number; week: number } {
  const days = toDays(p);
  const weekday = (new Date(days * 86_400_000).getUTCDay() + 6) % 7; // Monday 0
  const thursday = fromDays(days - weekday + 3);
  const firstThursdayWeekStart = toDays({ y: thursday.y, m: 1, d: 4 });
  const jan4Weekday = (new Date(firstThursdayWeekStart * 86_400_000).getUTCDay() + 6) % 7;
  return { year: thursday.y, week: Math.floor((toDays(thursday) - (firstThursdayWeekStart - jan4Weekday)) / 7) + 1 };
}

/** The bucket key of a calendar day. */
export function bucketKey(p: Ymd, unit: TimeUnit): string {
  switch (unit) {
    case 'day':
      return ymdText(p);
    case 'week': {
      const w = isoWeek(p);
      return `${pad(w.year, 4)}-W${pad(w.week)}`;
    }
    case 'month':
      return `${pad(p.y, 4)}-${pad(p.m)}`;
    case 'quarter':
      return `${pad(p.y, 4)}-Q${Math.floor((p.m - 1) / 3) + 1}`;
    case 'year':
      return pad(p.y, 4);
  }
}

/** The bucket a stored value falls in, or null (blank, or not a time). */
export const bucketOf = (value: unknown, type: 'date' | 'datetime', unit: TimeUnit, timeZone: string): string | null => {
  const day = localDay(value, type, timeZone);
  return day ? bucketKey(day, unit) : null;
};

/** The first and last calendar day of a bucket. */
export function bucketDays(key: string, unit: TimeUnit): { first: Ymd; last: Ymd } {
  const n = (s: string | undefined) => Number(s);
  switch (unit) {
    case 'day': {
      const [y, m, d] = key.split('-');
      const p = { y: n(y), m: n(m), d: n(d) };
      return { first: p, last: p };
    }
    case 'week': {
      const [y, w] = key.split('-W');
      const jan4 = toDays({ y: n(y), m: 1, d: 4 });
      const monday = jan4 - ((new Date(jan4 * 86_400_000).getUTCDay() + 6) % 7) + (n(w) - 1) * 7;
      return { first: fromDays(monday), last: fromDays(monday + 6) };
    }
    case 'month': {
      const [y, m] = key.split('-');
      return { first: { y: n(y), m: n(m), d: 1 }, last: fromDays(toDays({ y: n(m) === 12 ? n(y) + 1 : n(y), m: (n(m) % 12) + 1, d: 1 }) - 1) };
    }
    case 'quarter': {
      const [y, q] = key.split('-Q');
      const m = (n(q) - 1) * 3 + 1;
      return { first: { y: n(y), m, d: 1 }, last: fromDays(toDays({ y: m === 10 ? n(y) + 1 : n(y), m: m === 10 ? 1 : m + 3, d: 1 }) - 1) };
    }
    case 'year':
      return { first: { y: n(key), m: 1, d: 1 }, last: { y: n(key), m: 12, d: 31 } };
  }
}

/** Every bucket from `first` to `last` (keys of the same unit), in order, the empty ones included; at most `max`. */
export function bucketRange(first: string, last: string, unit: TimeUnit, max = 1000): string[] {
  const out: string[] = [];
  let day = bucketDays(first, unit).first;
  const end = bucketDays(last, unit).last;
  while (toDays(day) <= toDays(end) && out.length < max) {
    out.push(bucketKey(day, unit));
    day = fromDays(toDays(bucketDays(bucketKey(day, unit), unit).last) + 1);
  }
  return out;
}

/** A bucket's records as list filters: a date field between its first and last day; a datetime field from its start (inclusive) to the next bucket's start (exclusive), in the zone. */
export function bucketFilters(field: string, type: 'date' | 'datetime', key: string, unit: TimeUnit, timeZone: string): Array<{ field: string; op: 'between' | 'gte' | 'lt'; value: string }> {
  const { first, last } = bucketDays(key, unit);
  if (type === 'date') return [{ field, op: 'between', value: `${ymdText(first)},${ymdText(last)}` }];
  const start = instantOf(ymdText(first), timeZone)!;
  const end = instantOf(ymdText(fromDays(toDays(last) + 1)), timeZone)!;
  return [
    { field, op: 'gte', value: start.toISOString() },
    { field, op: 'lt', value: end.toISOString() },
  ];
}
