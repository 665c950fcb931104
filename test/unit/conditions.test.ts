import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConditionSet, RULE_OPERATORS, conditionProblems, factsOf, holds } from '../../functions/engine/rules/conditions';
import type { ObjectDef, RuleConditions } from '../../functions/engine/metadata/types';
import { validateMetadata } from '../../functions/engine/metadata/validateMetadata';

const L = (en: string) => ({ en });
const deal: ObjectDef = {
  name: 'deal',
  label: L('Deal'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name') },
    { name: 'amount', type: 'currency', label: L('Amount') },
    { name: 'stage', type: 'picklist', label: L('Stage'), options: [{ value: 'open', label: L('Open') }, { value: 'won', label: L('Won') }] },
    { name: 'tags', type: 'multi-picklist', label: L('Tags'), options: [{ value: 'vip', label: L('VIP') }, { value: 'new', label: L('New') }] },
    { name: 'close_date', type: 'date', label: L('Close') },
    { name: 'done', type: 'boolean', label: L('Done') },
  ],
};
const now = new Date('2026-11-23T10:00:00Z');
const facts = (values: Record<string, unknown>, previous: Record<string, unknown> | null = null) => factsOf({ values, previous, user: { id: 'u1', roles: ['sales'] }, event: previous ? 'updated' : 'created', now });

describe('conditions: evaluation', () => {
  it.each<[string, RuleConditions, Record<string, unknown>, boolean]>([
    ['number compare', { all: [{ fact: 'amount', operator: 'greaterThan', value: 100 }] }, { amount: 150 }, true],
    ['blank field with isBlank', { all: [{ fact: 'amount', operator: 'isBlank', value: true }] }, {}, true],
    ['filled field with isBlank false', { all: [{ fact: 'name', operator: 'isBlank', value: false }] }, { name: 'x' }, true],
    ['multi-picklist contains', { all: [{ fact: 'tags', operator: 'contains', value: 'vip' }] }, { tags: ['vip'] }, true],
    ['date before today', { all: [{ fact: 'close_date', operator: 'before', value: { fact: '$today' } }] }, { close_date: '2026-11-01' }, true],
    ['date after today', { all: [{ fact: 'close_date', operator: 'before', value: { fact: '$today' } }] }, { close_date: '2026-12-01' }, false],
    ['any of two', { any: [{ fact: 'stage', operator: 'equal', value: 'won' }, { fact: 'done', operator: 'equal', value: true }] }, { done: true }, true],
    ['not', { not: { fact: 'stage', operator: 'in', value: ['won'] } }, { stage: 'open' }, true],
    ['user role', { all: [{ fact: '$user', path: '$.roles', operator: 'contains', value: 'sales' }] }, {}, true],
    ['text prefix, case-insensitive contains', { all: [{ fact: 'name', operator: 'startsWith', value: 'Acme' }, { fact: 'name', operator: 'includesText', value: 'CORP' }] }, { name: 'Acme Corp' }, true],
  ])('%s', async (_what, conditions, values, expected) => {
    expect(conditionProblems(conditions, deal, '')).toEqual([]);
    expect(await holds(conditions, facts(values))).toBe(expected);
  });

  it('reads the previous values and the changed fields', async () => {
    const moved = { all: [{ fact: '$previous', path: '$.stage', operator: 'equal', value: 'open' }, { fact: '$changed', operator: 'contains', value: 'stage' }] };
    expect(conditionProblems(moved, deal, '')).toEqual([]);
    expect(await holds(moved, facts({ stage: 'won' }, { stage: 'open' }))).toBe(true);
    expect(await holds(moved, facts({ stage: 'open', amount: 3 }, { stage: 'open' }))).toBe(false);
  });

  it('answers in declaration order, whatever order the engine settles in', async () => {
    const set = new ConditionSet([
      { payload: 'c', conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 1 }] } },
      { payload: 'a' },
      { payload: 'b', conditions: { any: [{ fact: 'amount', operator: 'greaterThan', value: 0 }] } },
    ]);
    expect(await set.matching(facts({ amount: 5 }))).toEqual(['c', 'a', 'b']);
    expect(await set.first(facts({ amount: 0 }))).toBe('a');
  });
});

describe('conditions: checks', () => {
  it.each<[string, unknown, string, string]>([
    ['unknown field', { all: [{ fact: 'nope', operator: 'equal', value: 1 }] }, '/all/0/fact', 'unknownField'],
    ['unknown operator', { all: [{ fact: 'amount', operator: 'sameAs', value: 1 }] }, '/all/0/operator', 'unknownOperator'],
    ['a property every object has, as an operator', { not: { not: { fact: 'name', operator: 'valueOf' } } }, '/not/not/operator', 'unknownOperator'],
    ['constructor as an operator', { all: [{ fact: 'amount', operator: 'constructor', value: 1 }] }, '/all/0/operator', 'unknownOperator'],
    ['operator for another kind', { all: [{ fact: 'stage', operator: 'greaterThan', value: 1 }] }, '/all/0/operator', 'operatorMismatch'],
    ['value of the wrong type', { all: [{ fact: 'amount', operator: 'equal', value: 'ten' }] }, '/all/0/value', 'valueMismatch'],
    ['in without a list', { all: [{ fact: 'stage', operator: 'in', value: 'won' }] }, '/all/0/value', 'valueMismatch'],
    ['$previous without a path', { all: [{ fact: '$previous', operator: 'equal', value: 1 }] }, '/all/0/path', 'badPath'],
    ['a path on a field', { all: [{ fact: 'amount', path: '$.x', operator: 'equal', value: 1 }] }, '/all/0/path', 'badPath'],
    ['$changed naming no field', { all: [{ fact: '$changed', operator: 'contains', value: 'nope' }] }, '/all/0/value', 'unknownField'],
    ['two groups in one node', { all: [], any: [] }, '', 'condition'],
  ])('%s', (_what, conditions, path, code) => {
    expect(conditionProblems(conditions, deal, '')).toEqual(expect.arrayContaining([expect.objectContaining({ path, code })]));
  });

  it('refuses trees too deep or too large to maintain', () => {
    let deep: unknown = { fact: 'amount', operator: 'equal', value: 1 };
    for (let i = 0; i < 12; i++) deep = { all: [deep] };
    expect(conditionProblems(deep, deal, '').map((p) => p.code)).toContain('tooDeep');
    const wide = { any: Array.from({ length: 300 }, () => ({ fact: 'amount', operator: 'equal', value: 1 })) };
    expect(conditionProblems(wide, deal, '').map((p) => p.code)).toContain('tooLarge');
  });
});

// Arbitrary JSON shaped loosely like conditions: facts, operators and values drawn from both
// the valid vocabulary and nonsense, nested.
const leaf = fc.record(
  {
    fact: fc.oneof(fc.constantFrom('name', 'amount', 'stage', 'tags', 'close_date', 'done', '$previous', '$changed', '$user', '$today', 'nope'), fc.string()),
    operator: fc.oneof(fc.constantFrom(...RULE_OPERATORS), fc.string()),
    value: fc.oneof(fc.jsonValue(), fc.record({ fact: fc.constantFrom('$today', '$now') })),
    path: fc.constantFrom('$.stage', '$.roles', '$.x', 'bad'),
  },
  { requiredKeys: ['fact', 'operator'] },
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.record({ all: fc.array(tie('node'), { maxLength: 4 }) }), fc.record({ any: fc.array(tie('node'), { maxLength: 4 }) }), fc.record({ not: tie('node') }), fc.jsonValue()),
})).node;

describe('conditions: fuzzed', () => {
  it('checking never throws, and conditions without problems evaluate without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(tree, fc.record({ amount: fc.option(fc.integer()), stage: fc.option(fc.constantFrom('open', 'won')), name: fc.option(fc.string()) }), async (conditions, values) => {
        const problems = conditionProblems(conditions, deal, '');
        if (problems.length === 0 && typeof conditions === 'object' && conditions !== null && !('fact' in conditions)) {
          const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
          await holds(conditions as RuleConditions, facts(clean));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a validation rule with any such condition gets an answer from metadata validation, never an exception', () => {
    fc.assert(
      fc.property(tree, (conditions) => {
        const problems = validateMetadata({ objects: [deal], validationRules: [{ name: 'r', object: 'deal', conditions, message: L('m') }] });
        expect(Array.isArray(problems)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
