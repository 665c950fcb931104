import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormulaError, checkFormula, evaluateFormula } from '../../functions/engine/formulas/formula';
import type { FormulaType } from '../../functions/engine/formulas/functions';
import { validateMetadata } from '../../functions/engine/metadata/validateMetadata';
import type { ObjectDef } from '../../functions/engine/metadata/types';
import { compileBundle } from '../../functions/engine/compile/compileBundle';
import { planCreate, toApiRecord } from '../../functions/engine/records/planWrites';

const scope = new Map<string, FormulaType>([
  ['amount', 'number'],
  ['probability', 'number'],
  ['stage', 'text'],
  ['close_date', 'date'],
  ['won', 'boolean'],
]);
const NOW = new Date('2026-11-23T10:00:00Z');

describe('formulas', () => {
  it.each([
    { title: 'arithmetic', src: 'amount * probability / 100', values: { amount: 1000, probability: 25 }, type: 'number', result: 250 },
    { title: 'IF with comparison', src: 'IF(amount > 500, "large", "small")', values: { amount: 1000 }, type: 'text', result: 'large' },
    { title: 'text concatenation with +', src: 'stage + " / " + TEXT(amount)', values: { stage: 'won', amount: 5 }, type: 'text', result: 'won / 5' },
    { title: 'AND, OR, NOT', src: 'AND(won, OR(amount > 1, NOT(won)))', values: { won: true, amount: 2 }, type: 'boolean', result: true },
    { title: 'ISBLANK and BLANKVALUE', src: 'IF(ISBLANK(stage), BLANKVALUE(amount, 0), 1)', values: {}, type: 'number', result: 0 },
    { title: 'DATEDIFF with TODAY', src: 'DATEDIFF(TODAY(), close_date)', values: { close_date: '2026-12-03' }, type: 'number', result: 10 },
    { title: 'ADDDAYS and YEAR', src: 'YEAR(ADDDAYS(close_date, 40))', values: { close_date: '2026-12-03' }, type: 'number', result: 2027 },
    { title: 'ROUND to places', src: 'ROUND(amount / 3, 2)', values: { amount: 10 }, type: 'number', result: 3.33 },
    { title: 'blank in, blank out', src: 'amount * 2', values: {}, type: 'number', result: null },
    { title: 'division by zero is blank', src: 'amount / probability', values: { amount: 1, probability: 0 }, type: 'number', result: null },
    { title: 'CONCAT and UPPER', src: 'CONCAT(UPPER(stage), "-", amount)', values: { stage: 'qualify', amount: 3 }, type: 'text', result: 'QUALIFY-3' },
  ])('$title', ({ src, values, type, result }) => {
    const checked = checkFormula(src, scope);
    expect(checked.type).toBe(type);
    expect(evaluateFormula(checked.ast, values, NOW)).toBe(result);
  });

  it('marks formulas that read the clock as volatile', () => {
    expect(checkFormula('DATEDIFF(TODAY(), close_date)', scope).volatile).toBe(true);
    expect(checkFormula('amount * 2', scope).volatile).toBe(false);
  });

  it.each([
    ['unknown field', 'price * 2', /unknown field "price"/],
    ['unknown function', 'EVAL("x")', /unknown function EVAL/],
    ['type mismatch', 'amount + won', /needs number, not boolean/],
    ['comparison of different types', 'stage > 5', /compares text with number/],
    ['wrong argument count', 'IF(won, 1)', /takes 3 arguments/],
    ['branches of different types', 'IF(won, 1, "x")', /branches differ/],
    ['property access', 'constructor.prototype', /unsupported expression|unknown field|own fields/],
    ['syntax error', 'amount *', /cannot parse/],
  ])('refuses %s', (_, src, message) => {
    expect(() => checkFormula(src, scope)).toThrow(FormulaError);
    expect(() => checkFormula(src, scope)).toThrow(message);
  });

  it('never throws anything but FormulaError on random input, and never throws when evaluating what checks', () => {
    const token = fc.constantFrom('amount', 'stage', 'won', 'close_date', '1', '"x"', '+', '-', '*', '/', '(', ')', ',', 'IF(', 'TODAY()', '>', '==', '&&', '!', 'ROUND(', 'constructor', '__proto__', '.', '[0]');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), fc.dictionary(fc.constantFrom('amount', 'stage', 'won', 'close_date', 'probability'), fc.oneof(fc.double(), fc.string(), fc.boolean(), fc.constant(null))), (tokens, values) => {
        let checked;
        try {
          checked = checkFormula(tokens.join(' '), scope);
        } catch (error) {
          expect(error).toBeInstanceOf(FormulaError);
          return;
        }
        expect(() => evaluateFormula(checked.ast, values, NOW)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('metadata validation reports formula problems and circles at the expression', () => {
    const object: ObjectDef = {
      name: 'deal',
      label: { en: 'Deal' },
      nameField: 'name',
      fields: [
        { name: 'name', type: 'text', label: { en: 'N' } },
        { name: 'a', type: 'formula', returnType: 'number', expression: 'b + 1', label: { en: 'A' } },
        { name: 'b', type: 'formula', returnType: 'number', expression: 'a + 1', label: { en: 'B' } },
        { name: 'c', type: 'formula', returnType: 'boolean', expression: '1 + 1', label: { en: 'C' } },
        { name: 'd', type: 'formula', returnType: 'date', expression: 'TODAY()', label: { en: 'D' }, indexed: true },
      ],
    };
    const problems = validateMetadata({ objects: [object] }).map((p) => `${p.path} ${p.code}`);
    expect(problems).toEqual(expect.arrayContaining(['/objects/0/fields/1/expression formula', '/objects/0/fields/2/expression formula', '/objects/0/fields/3/expression formula', '/objects/0/fields/4/indexed volatile']));
  });
});

describe('days in the tenant’s time zone', () => {
  // 20:00 UTC on the 23rd is 04:00 on the 24th in Shanghai.
  const late = new Date('2026-11-23T20:00:00Z');
  const object: ObjectDef = {
    name: 'deal',
    label: { en: 'Deal' },
    nameField: 'name',
    fields: [
      { name: 'name', type: 'text', label: { en: 'N' } },
      { name: 'opened', type: 'date', label: { en: 'Opened' }, default: 'today' },
      { name: 'age', type: 'formula', returnType: 'number', expression: 'DATEDIFF(opened, TODAY())', label: { en: 'Age' } },
    ],
  };

  it('TODAY() is the day in the zone it is given, UTC when none', () => {
    const checked = checkFormula('TODAY()', scope);
    expect(evaluateFormula(checked.ast, {}, late)).toBe('2026-11-23');
    expect(evaluateFormula(checked.ast, {}, late, 'Asia/Shanghai')).toBe('2026-11-24');
    expect(evaluateFormula(checked.ast, {}, late, 'America/Los_Angeles')).toBe('2026-11-23');
  });

  it('a tenant’s zone (settings.timeZone, else its business hours’) decides `today` defaults and TODAY() on read', () => {
    for (const [settings, day] of [
      [{ timeZone: 'Asia/Shanghai' }, '2026-11-24'],
      [{ businessHours: { timeZone: 'Asia/Shanghai', week: {} } }, '2026-11-24'],
      [undefined, '2026-11-23'],
    ] as const) {
      const compiled = compileBundle('t', 1, { objects: [object], ...(settings ? { settings } : {}) }, { indexSlots: {} } as never).object('deal');
      const plan = planCreate(compiled, { name: 'x' }, { userId: 'u', now: late, newId: () => '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, {});
      expect(plan.record!.values.opened, JSON.stringify(settings)).toBe(day);
      expect(toApiRecord(compiled, { ...plan.record!, values: { ...plan.record!.values, opened: '2026-11-20' } }, late).age).toBe(day === '2026-11-24' ? 4 : 3);
    }
  });
});
