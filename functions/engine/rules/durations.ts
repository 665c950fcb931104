import type { Problem } from '../errors';
import type { BusinessHoursDef, DurationDef } from '../metadata/types';

/*
 * Time arithmetic for rules and SLAs: wall-clock durations, and durations counted in a
 * tenant's business hours (working intervals per weekday in its time zone, minus holidays).
 * Pure: the zone's offsets come from Intl, which Node ships with full ICU.
 *
 * Days are calendar days in the zone (9:00 stays 9:00 across a DST change); hours and
 * minutes are elapsed time. In business time, days are working days and hours and minutes
 * are working time.
 */

const MINUTE = 60_000;

export const durationMinutes = (d: DurationDef): number => (d.days ?? 0) * 24 * 60 + (d.hours ?? 0) * 60 + (d.minutes ?? 0);

interface LocalParts {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(instant: number, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute) };
}

/** The zone's offset from UTC at an instant, in minutes. */
function offsetAt(instant: number, timeZone: string): number {
  const p = partsIn(instant, timeZone);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min);
  return Math.round((asUtc - Math.floor(instant / MINUTE) * MINUTE) / MINUTE);
}

/**
 * The instant of a local wall-clock time in a zone. A time a DST change repeats is its first
 * occurrence; a time it skips (the spring-forward gap) is read with the offset before the gap,
 * so it lands just after it (02:30 in a 02:00→03:00 gap is 03:30) — Temporal's "compatible".
 * Day, hour and minute may overflow (day 32, hour 24): they roll over as Date.UTC rolls them.
 */
function localToInstant(y: number, m: number, d: number, hh: number, mm: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Offsets a day either side bracket any DST change near this wall time.
  const before = wall - offsetAt(wall - 86_400_000, timeZone) * MINUTE;
  const after = wall - offsetAt(wall + 86_400_000, timeZone) * MINUTE;
  const fits = (t: number) => Date.UTC(...wallOf(t, timeZone)) === wall;
  const candidates = [before, after].filter(fits);
  if (candidates.length > 0) return Math.min(...candidates);
  return before;
}

function wallOf(instant: number, timeZone: string): [number, number, number, number, number] {
  const p = partsIn(instant, timeZone);
  return [p.y, p.m - 1, p.d, p.h, p.min];
}

/** The calendar date `n` days after y-m-d (n may be negative). */
function addDays(y: number, m: number, d: number, n: number): { y: number; m: number; d: number } {
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const isoDay = (p: { y: number; m: number; d: number }) => `${String(p.y).padStart(4, '0')}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;

const hm = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return { h: h!, m: m! };
};

/** Working intervals of a local date, as instants, in order; none on a holiday or a day off. */
function workingIntervalsOn(day: { y: number; m: number; d: number }, hours: BusinessHoursDef): Array<[number, number]> {
  if (hours.holidays?.includes(isoDay(day))) return [];
  const weekday = ((new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay() + 6) % 7) + 1;
  const spans = hours.week[String(weekday) as keyof BusinessHoursDef['week']] ?? [];
  return spans
    .map(([from, to]) => {
      const a = hm(from);
      const b = hm(to);
      return [localToInstant(day.y, day.m, day.d, a.h, a.m, hours.timeZone), localToInstant(day.y, day.m, day.d, b.h, b.m, hours.timeZone)] as [number, number];
    })
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
}

/** Longest search for working time: a tenant whose calendar has none in a year has no business hours. */
const MAX_DAYS = 366;

/** `start` plus `minutes` of working time; 0 minutes is the first working moment at or after `start`. */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHoursDef): Date {
  if (minutes < 0) throw new RangeError('business durations count forwards');
  const t0 = start.getTime();
  let t = t0;
  let left = minutes * MINUTE;
  const local = partsIn(t0, hours.timeZone);
  let day = { y: local.y, m: local.m, d: local.d };
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [from, to] of workingIntervalsOn(day, hours)) {
      if (to <= t) continue;
      const begin = Math.max(from, t);
      if (left <= to - begin) return new Date(begin + left);
      left -= to - begin;
      t = to;
    }
    day = addDays(day.y, day.m, day.d, 1);
  }
  throw new RangeError('no working time within a year');
}

/**
 * `start` moved by `days` working days: the same local time on the `days`-th later day with
 * working time (a day off or a holiday does not count), starting from the first working
 * moment at or after `start`. Where that time is outside the day's working hours, the next
 * working moment.
 */
export function addBusinessDays(start: Date, days: number, hours: BusinessHoursDef): Date {
  if (days < 0) throw new RangeError('business durations count forwards');
  const from = addBusinessMinutes(start, 0, hours).getTime();
  if (days === 0) return new Date(from);
  const local = partsIn(from, hours.timeZone);
  let day = { y: local.y, m: local.m, d: local.d };
  let counted = 0;
  for (let i = 0; counted < days; i++) {
    if (i > MAX_DAYS) throw new RangeError('no working time within a year');
    day = addDays(day.y, day.m, day.d, 1);
    if (workingIntervalsOn(day, hours).length > 0) counted++;
  }
  const sameTime = localToInstant(day.y, day.m, day.d, local.h, local.min, hours.timeZone) + (from % MINUTE);
  return addBusinessMinutes(new Date(sameTime), 0, hours);
}

/** Working minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHoursDef): number {
  const start = from.getTime();
  const end = to.getTime();
  let total = 0;
  const first = partsIn(start, hours.timeZone);
  let day = { y: first.y, m: first.m, d: first.d };
  for (let i = 0; i < MAX_DAYS * 5; i++) {
    const dayStart = localToInstant(day.y, day.m, day.d, 0, 0, hours.timeZone);
    if (dayStart >= end) break;
    for (const [a, b] of workingIntervalsOn(day, hours)) {
      const lo = Math.max(a, start);
      const hi = Math.min(b, end);
      if (hi > lo) total += hi - lo;
    }
    day = addDays(day.y, day.m, day.d, 1);
  }
  return Math.round(total / MINUTE);
}

/** `at` moved by whole calendar days in a zone, keeping its local time of day. */
export function addCalendarDays(at: Date, days: number, timeZone = 'UTC'): Date {
  if (days === 0) return at;
  const t = at.getTime();
  const p = partsIn(t, timeZone);
  const day = addDays(p.y, p.m, p.d, days);
  return new Date(localToInstant(day.y, day.m, day.d, p.h, p.min, timeZone) + (t - Math.floor(t / MINUTE) * MINUTE));
}

/**
 * `at` moved by a duration. Wall-clock: days as calendar days in the tenant's zone (UTC
 * without business hours), then hours and minutes; `before` moves backwards. In business
 * time, when the duration says so and the tenant has business hours: days as working days,
 * then hours and minutes of working time (without business hours, a business duration
 * counts wall-clock time; publishing refuses business offsets that count backwards).
 */
export function addDuration(at: Date, duration: DurationDef & { before?: boolean }, hours: BusinessHoursDef | undefined): Date {
  const minutes = (duration.hours ?? 0) * 60 + (duration.minutes ?? 0);
  if (duration.business && hours && !duration.before) {
    const afterDays = addBusinessDays(at, duration.days ?? 0, hours);
    return addBusinessMinutes(afterDays, minutes, hours);
  }
  const sign = duration.before ? -1 : 1;
  const afterDays = addCalendarDays(at, sign * (duration.days ?? 0), hours?.timeZone);
  return new Date(afterDays.getTime() + sign * minutes * MINUTE);
}

/**
 * The instant a date or datetime value stands for: a datetime (ISO with a zone, as stored)
 * is itself; a date (`YYYY-MM-DD`) is the start of that day in the zone. Null for anything
 * else (blank, or not a time).
 */
export function instantOf(value: unknown, timeZone = 'UTC'): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) return new Date(localToInstant(Number(date[1]), Number(date[2]), Number(date[3]), 0, 0, timeZone));
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

/** Whether Intl knows the zone (ICU's IANA names). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * What the meta-schema cannot say about business hours: the zone exists, every interval
 * ends after it starts, holidays are real dates, and the week has some working time (else
 * no business duration ever ends).
 */
export function businessHoursProblems(hours: BusinessHoursDef, path: string): Problem[] {
  const problems: Problem[] = [];
  if (!isTimeZone(hours.timeZone)) problems.push({ path: `${path}/timeZone`, code: 'unknownTimeZone', message: `"${hours.timeZone}" is not an IANA time zone (e.g. Asia/Shanghai)`, params: { timeZone: hours.timeZone } });
  let working = 0;
  for (const [weekday, spans] of Object.entries(hours.week)) {
    (spans ?? []).forEach(([from, to], i) => {
      const a = hm(from);
      const b = hm(to);
      const length = b.h * 60 + b.m - (a.h * 60 + a.m);
      if (length <= 0) problems.push({ path: `${path}/week/${weekday}/${i}`, code: 'emptyInterval', message: `${from}–${to} ends before it starts`, params: { from, to } });
      else working += length;
    });
  }
  if (working === 0 && problems.length === 0) problems.push({ path: `${path}/week`, code: 'noWorkingTime', message: 'the week has no working time' });
  (hours.holidays ?? []).forEach((day, i) => {
    const [y, m, d] = day.split('-').map(Number);
    if (isoDay(addDays(y!, m!, d!, 0)) !== day) problems.push({ path: `${path}/holidays/${i}`, code: 'notADate', message: `${day} is not a calendar date`, params: { day } });
  });
  return problems;
}
