import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameKeys, normalizeEmail, normalizeName, normalizePhone } from '../../functions/engine/duplicates/normalize';
import { compareRecords, compileDuplicateRules, matchKeyChanges, matchKeys, nameSimilarity } from '../../functions/engine/duplicates/duplicateRules';
import { normalizeHeader } from '../../functions/engine/imports/mapping';
import type { FieldDef, MetadataBundle } from '../../functions/engine/metadata/types';

const fields: Record<string, FieldDef> = {
  name: { name: 'name', type: 'text', label: { en: 'Name' } },
  phone: { name: 'phone', type: 'phone', label: { en: 'Phone' } },
  city: { name: 'city', type: 'text', label: { en: 'City' } },
};
const fieldOf = (n: string) => fields[n];
const bundle: MetadataBundle = {
  objects: [{ name: 'company', label: { en: 'Company' }, nameField: 'name', fields: Object.values(fields) }],
  duplicateRules: [
    { name: 'phone', object: 'company', action: 'block', conditions: [{ type: 'phone', field: 'phone', defaultCountryCode: '86' }] },
    { name: 'name_city', object: 'company', action: 'warn', conditions: [{ type: 'exact', field: 'city' }, { type: 'fuzzyName', field: 'name' }] },
    { name: 'off', object: 'company', action: 'warn', active: false, conditions: [{ type: 'exact', field: 'city' }] },
  ],
};
const [phoneRule, nameCity] = compileDuplicateRules(bundle, 'company');

describe('normalisers', () => {
  it.each([
    { title: 'national with trunk 0', raw: '010-6552 9988', cc: '86', out: '+861065529988' },
    { title: 'international with +', raw: '+86 10 6552 9988', cc: '86', out: '+861065529988' },
    { title: 'international with 00', raw: '0086 10 6552 9988', cc: undefined, out: '+861065529988' },
    { title: 'the code without +', raw: '8613812345678', cc: '86', out: '+8613812345678' },
    { title: 'a mobile', raw: '138 1234 5678', cc: '86', out: '+8613812345678' },
    { title: 'no default code', raw: '(0)20 7946 0958', cc: undefined, out: '02079460958' },
    { title: 'too short', raw: '12-3', cc: '86', out: null },
  ])('phone: $title', ({ raw, cc, out }) => expect(normalizePhone(raw, cc)).toBe(out));

  it.each([
    { raw: ' Li.Lei+crm@GMail.com ', plus: true, out: 'lilei@gmail.com' },
    { raw: 'li.lei+crm@googlemail.com', plus: true, out: 'lilei@gmail.com' },
    { raw: 'sales+eu@outlook.com', plus: true, out: 'sales@outlook.com' },
    { raw: 'sales+eu@company.test', plus: true, out: 'sales+eu@company.test' },
    { raw: 'Sales+EU@Outlook.com', plus: false, out: 'sales+eu@outlook.com' },
  ])('email $raw (ignorePlus $plus)', ({ raw, plus, out }) => expect(normalizeEmail(raw, plus)).toBe(out));

  it('names lose case, width, punctuation and legal forms, in both scripts', () => {
    expect(normalizeName('ＡＣＭＥ Trading Co., Ltd.').text).toBe('acme trading');
    expect(normalizeName('北京华为技术有限公司').text).toBe('北京华为技术');
    expect(normalizeName('华为 有限公司').text).toBe('华为');
    expect(nameKeys(normalizeName('北京华为技术有限公司'))).toEqual(['北京', '京华', '华为']);
    expect(nameKeys(normalizeName('Acme Tradng Ltd'))).toEqual(['acme', 'trad']);
  });

  it('similarity is order-insensitive and 1 for the same normalised name', () => {
    expect(nameSimilarity('Trading Acme', 'Acme Trading Ltd')).toBe(1);
    expect(nameSimilarity('Acme Trading', 'Acme Tradng')).toBeGreaterThan(0.95);
    expect(nameSimilarity('Acme', 'Zenith')).toBeLessThan(0.6);
  });

  it('headers compare without case, width, spaces and punctuation', () => {
    expect(normalizeHeader('Full Name *')).toBe(normalizeHeader('full_name'));
    expect(normalizeHeader('ＥＭＡＩＬ')).toBe('email');
  });
});

describe('match keys', () => {
  it('a record blank in a condition has no key; inactive rules do not compile', () => {
    expect(compileDuplicateRules(bundle, 'company').map((r) => r.name)).toEqual(['phone', 'name_city']);
    expect(matchKeys(nameCity!, fieldOf, { name: 'Acme' })).toEqual([]);
    expect(matchKeys(phoneRule!, fieldOf, { phone: '010 6552 9988' })).toEqual([{ rule: phoneRule!.id, key: 'p+861065529988' }]);
  });

  it('alike records share a key and compare as matching; a changed rule gets a new id', () => {
    const a = { name: 'Acme Trading Co.', city: 'Beijing' };
    const b = { name: 'ACME Tradng', city: 'beijing' };
    const keysOf = (v: Record<string, unknown>) => new Set(matchKeys(nameCity!, fieldOf, v).map((k) => k.key));
    expect([...keysOf(a)].some((k) => keysOf(b).has(k))).toBe(true);
    expect(compareRecords(nameCity!, fieldOf, a, b)).toBeGreaterThan(0.9);
    expect(compareRecords(nameCity!, fieldOf, a, { ...b, city: 'Shanghai' })).toBeNull();
    const changed = compileDuplicateRules({ ...bundle, duplicateRules: [{ ...bundle.duplicateRules![1]!, conditions: [{ type: 'fuzzyName', field: 'name', threshold: 0.8 }] }] }, 'company');
    expect(changed[0]!.id).not.toBe(nameCity!.id);
  });

  it('a write adds and removes only the keys that change (property)', () => {
    const values = fc.record({ name: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), phone: fc.option(fc.constantFrom('010 6552 9988', '+86 10 6552 9988', '021 5555 0000'), { nil: undefined }), city: fc.option(fc.constantFrom('Beijing', 'Shanghai'), { nil: undefined }) });
    fc.assert(
      fc.property(fc.option(values, { nil: null }), fc.option(values, { nil: null }), (before, after) => {
        const rules = compileDuplicateRules(bundle, 'company');
        const { add, remove } = matchKeyChanges(rules, fieldOf, before, after);
        const id = (k: { rule: string; key: string }) => `${k.rule}|${k.key}`;
        const old = new Set(rules.flatMap((r) => (before ? matchKeys(r, fieldOf, before) : [])).map(id));
        const next = new Set(rules.flatMap((r) => (after ? matchKeys(r, fieldOf, after) : [])).map(id));
        const result = new Set([...[...old].filter((k) => !remove.map(id).includes(k)), ...add.map(id)]);
        expect(result).toEqual(next);
        expect(add.map(id).filter((k) => remove.map(id).includes(k))).toEqual([]);
      }),
    );
  });
});
