import type { BusinessHoursDef, DurationDef } from '../metadata/types';

/*
 * Time arithmetic for rules and SLAs: wall-clock durations, and durations counted in a
 * tenant's business hours (working intervals per weekday in its time zone, minus holidays).
 * Pure: the zone's offsets come from Intl, which Node ships with full ICU.
 */

const MINUTE = 60_000;

export const durationMinutes = (d: DurationDef): number => (d.days ?? 0) * 24 * 60 + (d.hours ?? 0) * 60 + (d.minutes ?? 0);

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(instant: number, timeZone: string): { y: number; m: number; d: number; h: number; min: number; weekday: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday!) + 1;
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute), weekday };
}

/** The zone's offset from UTC at an instant, in minutes. */
function offsetAt(instant: number, timeZone: string): number {
  const p = partsIn(instant, timeZone);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min);
  return Math.round((asUtc - Math.floor(instant / MINUTE) * MINUTE) / MINUTE);
}

/** The instant of a local wall-clock time in a zone (the later one when a DST change repeats it). */
function localToInstant(y: number, m: number, d: number, hh: number, mm: number, timeZone: string): number {
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const first = guess - offsetAt(guess, timeZone) * MINUTE;
  return guess - offsetAt(first, timeZone) * MINUTE;
}

const hm = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return { h: h!, m: m! };
};

/** Working intervals of the local day that contains `instant`, as instants. */
function workingIntervals(instant: number, hours: BusinessHoursDef): Array<[number, number]> {
  const p = partsIn(instant, hours.timeZone);
  const day = `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
  if (hours.holidays?.includes(day)) return [];
  const spans = hours.week[String(p.weekday) as keyof BusinessHoursDef['week']] ?? [];
  return spans.map(([from, to]) => {
    const a = hm(from);
    const b = hm(to);
    return [localToInstant(p.y, p.m, p.d, a.h, a.m, hours.timeZone), localToInstant(p.y, p.m, p.d, b.h, b.m, hours.timeZone)] as [number, number];
  });
}

/** The start of the next local day after the one containing `instant`. */
function nextDay(instant: number, timeZone: string): number {
  const p = partsIn(instant, timeZone);
  const noon = Date.UTC(p.y, p.m - 1, p.d, 12) + 24 * 3600_000;
  const q = partsIn(noon, timeZone);
  return localToInstant(q.y, q.m, q.d, 0, 0, timeZone);
}

/** Longest search for working time: a tenant whose calendar has none in a year has no business hours. */
const MAX_DAYS = 366;

/** `start` plus `minutes` of working time (minus, when negative: counted backwards is not supported, so it is refused). */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHoursDef): Date {
  if (minutes < 0) throw new RangeError('business durations count forwards');
  let t = start.getTime();
  let left = minutes * MINUTE;
  for (let day = 0; day < MAX_DAYS; day++) {
    for (const [from, to] of workingIntervals(t, hours)) {
      if (to <= t) continue;
      const begin = Math.max(from, t);
      if (left <= to - begin) return new Date(begin + left);
      left -= to - begin;
      t = to;
    }
    t = nextDay(t, hours.timeZone);
  }
  throw new RangeError('no working time within a year');
}

/** Working minutes between two instants. */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHoursDef): number {
  let t = from.getTime();
  const end = to.getTime();
  let total = 0;
  for (let day = 0; t < end && day < MAX_DAYS * 5; day++) {
    for (const [a, b] of workingIntervals(t, hours)) {
      const lo = Math.max(a, t);
      const hi = Math.min(b, end);
      if (hi > lo) total += hi - lo;
    }
    t = nextDay(t, hours.timeZone);
  }
  return Math.round(total / MINUTE);
}

/**
 * `at` moved by a duration: wall-clock, or in business hours when the duration says so and
 * the tenant has them (without business hours, a business duration counts wall-clock time).
 * `before` moves backwards (wall-clock only).
 */
export function addDuration(at: Date, duration: DurationDef & { before?: boolean }, hours: BusinessHoursDef | undefined): Date {
  const minutes = durationMinutes(duration);
  if (duration.business && hours && !duration.before) return addBusinessMinutes(at, minutes, hours);
  return new Date(at.getTime() + (duration.before ? -1 : 1) * minutes * MINUTE);
}
