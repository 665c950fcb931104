import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNumberKey, numberKey, roundTo, textKey } from '../../functions/engine/fields/encoding';
import { FIELD_REGISTRY } from '../../functions/engine/fields';

/** DynamoDB orders string keys by UTF-8 bytes; compare exactly that way. */
const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('order-preserving index encodings', () => {
  it('number keys sort exactly as the numbers do', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        expect(sign(byteCompare(numberKey(a), numberKey(b)))).toBe(sign(a - b === 0 || (a === b) ? 0 : a < b ? -1 : 1));
      }),
      { numRuns: 2000 },
    );
  });

  it('number keys decode to the number they encode (0 and -0 are one key)', () => {
    fc.assert(fc.property(fc.double({ noNaN: true }), (a) => { expect(decodeNumberKey(numberKey(a))).toBe(a === 0 ? 0 : a); }));
    expect(numberKey(-0)).toBe(numberKey(0));
  });

  it('date keys sort as the calendar does', () => {
    const toDate = (d: Date) => d.toISOString().slice(0, 10);
    const dates = fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true });
    fc.assert(
      fc.property(dates, dates, (a, b) => {
        const ka = FIELD_REGISTRY.date.indexKey!(toDate(a), { name: 'd', type: 'date', label: { en: 'd' } });
        const kb = FIELD_REGISTRY.date.indexKey!(toDate(b), { name: 'd', type: 'date', label: { en: 'd' } });
        expect(sign(byteCompare(ka, kb))).toBe(sign(toDate(a).localeCompare(toDate(b))));
      }),
    );
  });

  it('datetime keys sort as instants do, whatever offset the value was written with', () => {
    const field = { name: 'at', type: 'datetime' as const, label: { en: 'at' } };
    expect(FIELD_REGISTRY.datetime.indexKey!('2026-01-01T08:00:00+08:00', field)).toBe(FIELD_REGISTRY.datetime.indexKey!('2026-01-01T00:00:00Z', field));
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2999-01-01') }), fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('2999-01-01') }), (a, b) => {
        const ka = FIELD_REGISTRY.datetime.indexKey!(a.toISOString(), field);
        const kb = FIELD_REGISTRY.datetime.indexKey!(b.toISOString(), field);
        expect(sign(byteCompare(ka, kb))).toBe(sign(a.getTime() - b.getTime()));
      }),
    );
  });

  it('text keys ignore case and never contain the key separator', () => {
    expect(textKey('Acme')).toBe(textKey('ACME'));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => { expect(textKey(s)).not.toMatch(/[\u0000-\u001f]/); }));
  });

  it.each([
    { title: 'rounds half away from zero', value: 2.345, scale: 2, expected: 2.35 },
    { title: 'rounds negative values symmetrically', value: -2.345, scale: 2, expected: -2.35 },
    { title: 'keeps binary drift out of money', value: 1.005, scale: 2, expected: 1.01 },
    { title: 'rounds to whole numbers', value: 2.5, scale: 0, expected: 3 },
  ])('$title', ({ value, scale, expected }) => expect(roundTo(value, scale)).toBe(expected));
});
