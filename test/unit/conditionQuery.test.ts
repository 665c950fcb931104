import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAW_FIELD, isGroup, nodePointers, optionalJson, problemsByNode, toJson, toQuery } from '../../admin-ui/src/rules/conditionQuery';
import type { ConditionGroup, ConditionNode, ConditionRule } from '../../admin-ui/src/rules/conditionQuery';
import { RULE_OPERATORS, conditionProblems, defaultValue, factsOf, operatorsFor } from '../../admin-ui/src/rules/facts';
import type { ObjectDef } from '../../functions/engine/metadata/types';

const TEMPLATES = resolve(import.meta.dirname, '../../metadata/templates');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

/** Every condition tree in a template file: rule, entry, webhook, workflow and field-logic conditions wherever they sit. */
function conditionTrees(node: unknown, at: string, out: Array<{ at: string; conditions: unknown }>): void {
  if (Array.isArray(node)) node.forEach((n, i) => conditionTrees(n, `${at}/${i}`, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const isTree = ['conditions', 'open', 'entryConditions'].includes(key) || (at.endsWith('/when') && ['required', 'readOnly', 'visible'].includes(key));
      if (isTree && value && typeof value === 'object') out.push({ at: `${at}/${key}`, conditions: value });
      else conditionTrees(value, `${at}/${key}`, out);
    }
  }
}

// Duplicate rules' `conditions` are match conditions (field and matching type), not a json-rules-engine tree.
const templateConditions = jsonFiles(TEMPLATES).filter((file) => !file.endsWith('duplicateRules.json')).flatMap((file) => {
  const out: Array<{ at: string; conditions: unknown }> = [];
  conditionTrees(JSON.parse(readFileSync(file, 'utf8')), relative(TEMPLATES, file), out);
  return out;
});

/** JSON → builder → JSON, compared as values and as text (so key order is kept too). */
function expectRoundTrip(conditions: unknown): void {
  const back = toJson(toQuery(conditions));
  expect(back).toStrictEqual(conditions);
  expect(JSON.stringify(back)).toBe(JSON.stringify(conditions));
}

/** Arbitrary JSON Pointer lookup (RFC 6901), for checking where rows are said to be. */
function at(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')).reduce<unknown>((n, t) => (n as Record<string, unknown>)[t], doc);
}

// Generated conditions: what the builder writes and more — paths, fact-valued operands, not, names, priorities, odd key orders.
const names = fc.constantFrom('stage', 'amount', 'close_date', 'rating', 'owner', 'tags', 'loss_reason');
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), names.map((fact) => ({ fact })), fc.constantFrom({ fact: '$today' }, { fact: '$now' }));
const shuffle = <T extends Record<string, unknown>>(arb: fc.Arbitrary<T>) =>
  arb.chain((obj) => fc.shuffledSubarray(Object.keys(obj), { minLength: Object.keys(obj).length }).map((keys) => Object.fromEntries(keys.map((k) => [k, obj[k]]))));
const extras = fc.record({ name: fc.string({ maxLength: 6 }), priority: fc.integer({ min: 1, max: 9 }), params: fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 2 }) }, { requiredKeys: [] });
const factTest = shuffle(
  fc.tuple(
    fc.oneof(
      names.map((fact) => ({ fact })),
      names.map((n) => ({ fact: '$previous', path: `$.${n}` })),
      fc.constantFrom({ fact: '$user', path: '$.id' }, { fact: '$user', path: '$.roles' }, { fact: '$changed' }, { fact: '$event' }, { fact: '$today' }),
    ),
    fc.constantFrom(...RULE_OPERATORS, 'someCustomOperator'),
    value,
    extras,
  ).map(([f, operator, v, x]) => ({ ...f, operator, value: v, ...x })),
);
const { condition } = fc.letrec<{ condition: unknown; group: unknown }>((tie) => ({
  condition: fc.oneof({ depthSize: 'small', withCrossShrink: true }, factTest, tie('group')),
  group: fc.oneof(
    shuffle(fc.tuple(fc.constantFrom('all', 'any'), fc.array(tie('condition'), { maxLength: 4 }), extras).map(([k, list, x]) => ({ [k]: list, ...x }))),
    shuffle(fc.tuple(tie('condition'), fc.record({ name: fc.string({ maxLength: 4 }) }, { requiredKeys: [] })).map(([c, x]) => ({ not: c, ...x }))),
  ),
}));

describe('condition builder ⇄ json-rules-engine JSON', () => {
  it('finds the conditions of the templates (validation, assignment, automation …)', () => {
    expect(templateConditions.length).toBeGreaterThanOrEqual(15);
    expect(templateConditions.some((c) => c.at.includes('validationRules'))).toBe(true);
    expect(templateConditions.some((c) => c.at.includes('assignmentRules') && c.at.endsWith('/open'))).toBe(true);
    expect(templateConditions.some((c) => c.at.includes('automationRules'))).toBe(true);
  });

  it.each(templateConditions)('JSON → builder → JSON is identical: $at', ({ conditions }) => {
    expectRoundTrip(conditions);
    // And the template's rows are rows, not JSON blobs: the builder can show every one.
    const raw: ConditionNode[] = [];
    const walk = (g: ConditionGroup) => g.rules.forEach((r) => (isGroup(r) ? walk(r) : (r as ConditionRule).field === RAW_FIELD && raw.push(r)));
    walk(toQuery(conditions));
    expect(raw).toEqual([]);
  });

  it('JSON → builder → JSON is identical for generated conditions (groups, not, paths, fact operands, extra keys in any order)', () => {
    fc.assert(fc.property(condition, (c) => expectRoundTrip(c)), { numRuns: 400 });
  });

  it('is total: any JSON value comes back as it was (shapes the builder cannot show are kept as a JSON row)', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (c) => expectRoundTrip(c)), { numRuns: 300 });
    expect(toJson(toQuery(undefined))).toBeUndefined();
  });

  it('places every row at the JSON pointer of the condition it writes', () => {
    fc.assert(
      fc.property(condition, (c) => {
        const query = toQuery(c);
        const json = toJson(query);
        const pointers = nodePointers(query);
        const visit = (node: ConditionNode, path: number[]) => {
          const pointer = pointers.get(path.join('-'));
          expect(pointer).toBeDefined();
          if (!isGroup(node)) expect(at(json, pointer!)).toStrictEqual(toJson({ combinator: 'all', rules: [node], meta: { bare: true } }));
          else node.rules.forEach((child, i) => visit(child, [...path, i]));
        };
        visit(query, []);
      }),
      { numRuns: 200 },
    );
  });

  it('writes what the builder changed: a value, an operator, a negation, a new row', () => {
    const query = toQuery({ all: [{ fact: 'stage', operator: 'equal', value: 'lost' }, { fact: 'end_date', operator: 'before', value: { fact: 'start_date' } }] });
    const [first, second] = query.rules as ConditionRule[];
    const edited: ConditionGroup = {
      ...query,
      combinator: 'any',
      not: true,
      rules: [{ ...first!, operator: 'in', value: ['lost', 'won'] }, { ...second!, valueSource: 'value', value: '2026-01-01' }, { field: '$previous.stage', operator: 'notEqual', value: 'won' }],
    };
    expect(toJson(edited)).toStrictEqual({
      not: { any: [
        { fact: 'stage', operator: 'in', value: ['lost', 'won'] },
        { fact: 'end_date', operator: 'before', value: '2026-01-01' },
        { fact: '$previous', path: '$.stage', operator: 'notEqual', value: 'won' },
      ] },
    });
    expect(optionalJson(toQuery(undefined))).toBeUndefined();
    expect(optionalJson({ combinator: 'all', rules: [] })).toBeUndefined();
  });
});

const opportunity: ObjectDef = {
  name: 'opportunity', label: { en: 'Opportunity' }, nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: { en: 'Name' } },
    { name: 'amount', type: 'currency', label: { en: 'Amount' } },
    { name: 'close_date', type: 'date', label: { en: 'Close date' } },
    { name: 'stage', type: 'picklist', label: { en: 'Stage' }, options: [{ value: 'open', label: { en: 'Open' } }, { value: 'won', label: { en: 'Won' } }] },
    { name: 'tags', type: 'multi-picklist', label: { en: 'Tags' }, options: [{ value: 'vip', label: { en: 'VIP' } }] },
    { name: 'won', type: 'boolean', label: { en: 'Won' } },
  ],
};

describe('condition builder: field-aware operators and values', () => {
  it.each([
    { title: 'a currency field compares as a number', key: 'amount', has: ['greaterThan', 'lessThanInclusive', 'equal', 'in', 'isBlank'], not: ['before', 'startsWith', 'contains'] },
    { title: 'a date field compares as a date', key: 'close_date', has: ['before', 'onOrAfter', 'equal', 'isBlank'], not: ['greaterThan', 'includesText'] },
    { title: 'a picklist takes equality and lists', key: 'stage', has: ['equal', 'notIn', 'isBlank'], not: ['greaterThan', 'contains', 'startsWith'] },
    { title: 'a multi-picklist takes contains', key: 'tags', has: ['contains', 'doesNotContain', 'isBlank'], not: ['equal', 'in'] },
    { title: 'text takes text operators', key: 'name', has: ['startsWith', 'includesText', 'equal'], not: ['greaterThan', 'before'] },
    { title: 'a checkbox is equal or not', key: 'won', has: ['equal', 'notEqual', 'isBlank'], not: ['in', 'greaterThan'] },
    { title: 'the value before the change reads as its field', key: '$previous.amount', has: ['greaterThan'], not: ['before'] },
    { title: '$changed holds field names', key: '$changed', has: ['contains', 'doesNotContain'], not: ['equal'] },
    { title: "the acting user's roles", key: '$user.roles', has: ['contains'], not: ['equal', 'greaterThan'] },
    { title: 'today is a date', key: '$today', has: ['before', 'after'], not: ['greaterThan'] },
  ])('$title ($key)', ({ key, has, not }) => {
    const ops = operatorsFor(opportunity, key);
    for (const op of has) expect(ops).toContain(op);
    for (const op of not) expect(ops).not.toContain(op);
  });

  it('offers every operator the engine accepts for each fact, and none it refuses', () => {
    const facts = factsOf(opportunity, { label: (l, f) => l?.en ?? f, text: (k) => k });
    for (const fact of facts) {
      for (const op of operatorsFor(opportunity, fact.key)) {
        const row: ConditionRule = { field: fact.key, operator: op, value: defaultValue(fact.input, op) };
        const problems = conditionProblems(toJson({ combinator: 'all', rules: [row] }), opportunity, '');
        expect(problems.filter((p) => !p.path.endsWith('/value')), `${fact.key} ${op}`).toEqual([]);
      }
    }
  });

  it("shows the engine's problems at the row they are about", () => {
    const conditions = { all: [{ fact: 'stage', operator: 'equal', value: 'won' }, { any: [{ fact: 'amount', operator: 'before', value: 3 }, { fact: 'nope', operator: 'equal', value: 1 }] }] };
    const query = toQuery(conditions);
    const problems = conditionProblems(conditions, opportunity, '').map((p) => ({ pointer: p.path, message: p.message, code: p.code }));
    const placed = problemsByNode(query, problems);
    expect(placed.get('1-0')?.map((p) => [p.code, p.pointer])).toEqual([['operatorMismatch', '/operator']]);
    expect(placed.get('1-1')?.map((p) => [p.code, p.pointer])).toEqual([['unknownField', '/fact']]);
    expect(placed.get('0')).toBeUndefined();
    // Problems the API reports under a rule's pointer are the same once the rule's prefix is cut off.
    const fromApi = problemsByNode(query, [{ pointer: '/any/0/value'.replace('/any', '/all/1/any'), message: 'x' }]);
    expect(fromApi.get('1-0')?.[0]?.pointer).toBe('/value');
  });
});
