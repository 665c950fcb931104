import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusinessHoursDef } from '../../functions/engine/metadata/types';
import { validateMetadata } from '../../functions/engine/metadata/validateMetadata';
import { addBusinessDays, addBusinessMinutes, addCalendarDays, addDuration, businessHoursProblems, businessMinutesBetween, instantOf } from '../../functions/engine/rules/durations';

const weekdays = (timeZone: string, from: string, to: string, holidays?: string[]): BusinessHoursDef => ({
  timeZone,
  week: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [[from, to]]])),
  ...(holidays ? { holidays } : {}),
});
const always = (timeZone: string): BusinessHoursDef => ({ timeZone, week: Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [['00:00', '24:00']]])) });

/** crm-core's calendar: Asia/Shanghai (UTC+8, no DST), 09:00–18:00 Monday to Friday, the 2026 National Day week off. */
const shanghai = weekdays('Asia/Shanghai', '09:00', '18:00', ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']);
const newYork = weekdays('America/New_York', '09:00', '17:00');
const at = (iso: string) => new Date(iso);

describe('addBusinessMinutes', () => {
  it.each([
    { title: 'inside one working day', start: '2026-11-23T02:00:00Z' /* Mon 10:00 */, minutes: 120, due: '2026-11-23T04:00:00Z' /* Mon 12:00 */ },
    { title: 'across a weekend: Friday 16:00 + 4 h is Monday 11:00', start: '2026-11-20T08:00:00Z', minutes: 240, due: '2026-11-23T03:00:00Z' },
    { title: 'from a Saturday: the clock starts on Monday at 09:00', start: '2026-11-21T04:00:00Z', minutes: 60, due: '2026-11-23T02:00:00Z' },
    { title: 'before opening: starts at 09:00 the same day', start: '2026-11-23T00:00:00Z' /* Mon 08:00 */, minutes: 30, due: '2026-11-23T01:30:00Z' },
    { title: 'ending exactly at closing time stays that day', start: '2026-11-23T09:00:00Z' /* Mon 17:00 */, minutes: 60, due: '2026-11-23T10:00:00Z' /* 18:00 */ },
    { title: 'across the National Day holidays: Wed 30 Sep 17:00 + 4 h is Thu 8 Oct 12:00', start: '2026-09-30T09:00:00Z', minutes: 240, due: '2026-10-08T04:00:00Z' },
    { title: 'zero minutes outside hours is the next working moment', start: '2026-11-23T10:30:00Z' /* Mon 18:30 */, minutes: 0, due: '2026-11-24T01:00:00Z' },
  ])('Shanghai: $title', ({ start, minutes, due }) => {
    expect(addBusinessMinutes(at(start), minutes, shanghai).toISOString()).toBe(new Date(due).toISOString());
  });

  it('counts working hours on the day clocks spring forward (New York, Friday 15:00 EST + 4 h is Monday 11:00 EDT)', () => {
    expect(addBusinessMinutes(at('2026-03-06T20:00:00Z'), 240, newYork).toISOString()).toBe('2026-03-09T15:00:00.000Z');
  });

  it('does not skip a day in a zone thirteen hours ahead of UTC (Auckland in summer)', () => {
    // Monday 16:00 NZDT + 2 h is Tuesday 10:00 NZDT; computing "the next day" from noon UTC used to land on Wednesday.
    expect(addBusinessMinutes(at('2026-11-23T03:00:00Z'), 120, weekdays('Pacific/Auckland', '09:00', '17:00')).toISOString()).toBe('2026-11-23T21:00:00.000Z');
  });

  it('gets past a day whose midnight does not exist (Santiago springs forward at 00:00)', () => {
    // 5 Sep 2026 16:00 CLT (UTC−4) + 10 h of round-the-clock time: 6 Sep 03:00 CLST (UTC−3).
    expect(addBusinessMinutes(at('2026-09-05T20:00:00Z'), 600, always('America/Santiago')).toISOString()).toBe('2026-09-06T06:00:00.000Z');
  });

  it('refuses negative durations and calendars with no working time', () => {
    expect(() => addBusinessMinutes(at('2026-11-23T00:00:00Z'), -1, shanghai)).toThrow(RangeError);
    expect(() => addBusinessMinutes(at('2026-11-23T00:00:00Z'), 1, { timeZone: 'UTC', week: {} })).toThrow(/no working time/);
  });

  it('takes working intervals in time order whatever order they are written in (a lunch break)', () => {
    const lunch: BusinessHoursDef = { timeZone: 'Asia/Shanghai', week: { '1': [['13:00', '18:00'], ['09:00', '12:00']] } };
    // Monday 11:00 + 2 h: one hour before lunch, one after.
    expect(addBusinessMinutes(at('2026-11-23T03:00:00Z'), 120, lunch).toISOString()).toBe('2026-11-23T06:00:00.000Z');
  });
});

describe('businessMinutesBetween', () => {
  it.each([
    { title: 'Friday 16:00 to Monday 11:00', from: '2026-11-20T08:00:00Z', to: '2026-11-23T03:00:00Z', minutes: 240 },
    { title: 'a whole week', from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z', minutes: 5 * 9 * 60 },
    { title: 'a week with three holidays in it', from: '2026-10-05T00:00:00Z', to: '2026-10-12T00:00:00Z', minutes: 2 * 9 * 60 },
    { title: 'a weekend', from: '2026-11-21T00:00:00Z', to: '2026-11-22T15:00:00Z', minutes: 0 },
    { title: 'backwards', from: '2026-11-24T00:00:00Z', to: '2026-11-23T00:00:00Z', minutes: 0 },
  ])('Shanghai: $title', ({ from, to, minutes }) => {
    expect(businessMinutesBetween(at(from), at(to), shanghai)).toBe(minutes);
  });

  it('counts the hour a DST change adds or removes, on a round-the-clock calendar', () => {
    // Berlin falls back on 25 Oct 2026: that Sunday has 25 hours. Sat 00:00 to Mon 00:00 local.
    expect(businessMinutesBetween(at('2026-10-23T22:00:00Z'), at('2026-10-25T23:00:00Z'), always('Europe/Berlin'))).toBe(49 * 60);
    // Santiago springs forward at midnight on 6 Sep 2026: that day has 23 hours. 5 Sep 00:00 to 7 Sep 00:00 local.
    expect(businessMinutesBetween(at('2026-09-05T04:00:00Z'), at('2026-09-07T03:00:00Z'), always('America/Santiago'))).toBe(47 * 60);
  });

  it('is the inverse of addBusinessMinutes, in a zone with DST and one without', () => {
    const calendars = [shanghai, newYork];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }),
        fc.integer({ min: 0, max: 5000 }),
        fc.constantFrom(0, 1),
        (start, minutes, which) => {
          const hours = calendars[which]!;
          const from = new Date(Math.floor(start / 60_000) * 60_000);
          const due = addBusinessMinutes(from, minutes, hours);
          expect(due.getTime()).toBeGreaterThanOrEqual(from.getTime());
          expect(businessMinutesBetween(from, due, hours)).toBe(minutes);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('addBusinessDays', () => {
  it.each([
    { title: 'Friday 10:00 + 1 is Monday 10:00', start: '2026-11-20T02:00:00Z', days: 1, due: '2026-11-23T02:00:00Z' },
    { title: 'Wed 30 Sep 10:00 + 2 skips the holidays: Fri 9 Oct 10:00', start: '2026-09-30T02:00:00Z', days: 2, due: '2026-10-09T02:00:00Z' },
    { title: 'Saturday + 1 starts from Monday 09:00: Tuesday 09:00', start: '2026-11-21T02:00:00Z', days: 1, due: '2026-11-24T01:00:00Z' },
  ])('Shanghai: $title', ({ start, days, due }) => {
    expect(addBusinessDays(at(start), days, shanghai).toISOString()).toBe(new Date(due).toISOString());
  });
});

describe('addDuration', () => {
  it('counts a business day as a working day, not as 24 working hours', () => {
    expect(addDuration(at('2026-11-20T02:00:00Z'), { days: 1, business: true }, shanghai).toISOString()).toBe('2026-11-23T02:00:00.000Z');
  });

  it('adds business days, then business hours: Friday 10:00 + 1 day 8 h is Monday 18:00, + 1 day 9 h Tuesday 10:00', () => {
    expect(addDuration(at('2026-11-20T02:00:00Z'), { days: 1, hours: 8, business: true }, shanghai).toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(addDuration(at('2026-11-20T02:00:00Z'), { days: 1, hours: 9, business: true }, shanghai).toISOString()).toBe('2026-11-24T02:00:00.000Z');
  });

  it('keeps the local time when wall-clock days cross a DST change', () => {
    const ny: BusinessHoursDef = { ...newYork };
    // Saturday 7 Mar 2026 09:00 EST + 2 days is Monday 09:00 EDT: 47 hours later, not 48.
    expect(addDuration(at('2026-03-07T14:00:00Z'), { days: 2 }, ny).toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(addCalendarDays(at('2026-03-09T13:00:00Z'), -2, 'America/New_York').toISOString()).toBe('2026-03-07T14:00:00.000Z');
  });

  it('moves backwards with before: 3 days before 1 Dec (a date, so midnight in Shanghai)', () => {
    const close = instantOf('2026-12-01', 'Asia/Shanghai')!;
    expect(close.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(addDuration(close, { days: 3, before: true }, shanghai).toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });

  it('counts wall-clock time in UTC without business hours, even for a business duration', () => {
    expect(addDuration(at('2026-11-21T04:00:00Z'), { hours: 4, business: true }, undefined).toISOString()).toBe('2026-11-21T08:00:00.000Z');
    expect(addDuration(at('2026-11-21T04:00:00Z'), { days: 1, minutes: 30 }, undefined).toISOString()).toBe('2026-11-22T04:30:00.000Z');
  });

  it('starts a zero business offset at the next working moment', () => {
    expect(addDuration(at('2026-11-21T04:00:00Z'), { business: true }, shanghai).toISOString()).toBe('2026-11-23T01:00:00.000Z');
  });
});

describe('instantOf', () => {
  it.each([
    { value: '2026-11-23T08:00:00.000Z', zone: 'Asia/Shanghai', instant: '2026-11-23T08:00:00.000Z' },
    { value: '2026-11-23', zone: 'Asia/Shanghai', instant: '2026-11-22T16:00:00.000Z' },
    { value: '2026-11-23', zone: 'UTC', instant: '2026-11-23T00:00:00.000Z' },
    { value: '2026-09-06', zone: 'America/Santiago', instant: '2026-09-06T04:00:00.000Z' /* midnight does not exist: 01:00 CLST */ },
  ])('$value in $zone is $instant', ({ value, zone, instant }) => {
    expect(instantOf(value, zone)?.toISOString()).toBe(instant);
  });

  it.each([undefined, null, '', 'soon', 42])('%s is no instant', (value) => {
    expect(instantOf(value, 'UTC')).toBeNull();
  });
});

describe('businessHoursProblems', () => {
  it('accepts crm-core’s calendar', () => {
    expect(businessHoursProblems(shanghai, '/settings/businessHours')).toEqual([]);
  });

  it('reports an unknown zone, an interval that ends before it starts, and a date that does not exist', () => {
    const problems = businessHoursProblems({ timeZone: 'Asia/Beijing', week: { '1': [['18:00', '09:00']], '2': [['09:00', '18:00']] }, holidays: ['2026-02-30'] }, '/settings/businessHours');
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['/settings/businessHours/timeZone', 'unknownTimeZone'],
      ['/settings/businessHours/week/1/0', 'emptyInterval'],
      ['/settings/businessHours/holidays/0', 'notADate'],
    ]);
  });

  it('reports a week without working time', () => {
    expect(businessHoursProblems({ timeZone: 'UTC', week: {} }, '/settings/businessHours').map((p) => p.code)).toEqual(['noWorkingTime']);
  });
});

describe('publishing business hours', () => {
  it('refuses a calendar the durations cannot use, at its pointer', () => {
    const problems = validateMetadata({ objects: [], settings: { businessHours: { timeZone: 'Mars/Olympus_Mons', week: { '1': [['09:00', '18:00']] } } } });
    expect(problems.map((p) => [p.path, p.code])).toEqual([['/settings/businessHours/timeZone', 'unknownTimeZone']]);
    expect(validateMetadata({ objects: [], settings: { businessHours: shanghai } })).toEqual([]);
  });
});
