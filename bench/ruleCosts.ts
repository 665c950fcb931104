/**
 * What rules cost (issue 5): a create that fires three before-save rules and an assignment
 * rule, beside the same create without rules (both through the Lambda path, interleaved);
 * and the evaluation of 200 active validation rules per record, in process.
 * Targets: ≤ 1.3× and < 2 ms.
 */
import type { MetadataBundle, ObjectDef, ValidationRuleDef } from '../functions/engine/metadata/types';
import { factsOf } from '../functions/engine/rules/conditions';
import { objectRules } from '../functions/engine/rules/objectRules';
import { forgetDirectory } from '../functions/api/operations/directory';
import { expectStatus } from './apiClient';
import type { Environment } from './environment';
import { deal, dealInput, rng } from './fixture';
import { ms, summarize, table, times } from './stats';
import type { Summary } from './stats';

export const RULED_CREATE_TARGET = 1.3;
export const EVALUATION_TARGET_MS = 2;

export interface RuleFigures {
  readonly plain: Summary;
  readonly ruled: Summary;
  readonly iterations: number;
  readonly evaluation: Summary;
  readonly evaluationRecords: number;
  readonly rules: number;
}

const label = (en: string) => ({ en });

/** The deal object again, with rules: three before-save rules the bench input fires, and round-robin assignment over three reps. */
function ruledBundle(current: MetadataBundle): MetadataBundle {
  const ruled: ObjectDef = { ...structuredClone(deal), name: 'ruled_deal', label: label('Ruled deal') };
  return {
    ...current,
    objects: [...current.objects.filter((o) => o.name !== 'ruled_deal'), ruled],
    roles: [...(current.roles ?? []).filter((r) => r.name !== 'rep'), { name: 'rep', label: label('Rep') }],
    automationRules: [
      { name: 'won_is_certain', object: 'ruled_deal', timing: 'before', trigger: { on: 'createdOrUpdated', fields: ['stage'] }, conditions: { all: [{ fact: 'stage', operator: 'equal', value: 'won' }] }, actions: [{ type: 'setField', field: 'probability', to: { value: 100 } }] },
      { name: 'big_needs_review', object: 'ruled_deal', timing: 'before', trigger: { on: 'createdOrUpdated', fields: ['amount'] }, conditions: { all: [{ fact: 'amount', operator: 'greaterThanInclusive', value: 50000 }] }, actions: [{ type: 'setField', field: 'next_step', to: { value: 'Executive review of the offer' } }] },
      { name: 'close_in_a_month', object: 'ruled_deal', timing: 'before', trigger: { on: 'created' }, conditions: { all: [{ fact: 'source', operator: 'in', value: ['web', 'referral', 'event', 'partner'] }] }, actions: [{ type: 'setField', field: 'close_date', to: { now: true, offset: { days: 30 } } }] },
    ],
    assignmentRules: [{ object: 'ruled_deal', entries: [{ name: 'reps_in_turn', assignee: { type: 'roundRobin', role: 'rep' } }] }],
  };
}

/** 200 validation rules of the shapes tenants write: ranges, required-when, picklist sets, date order, text prefixes. */
export function manyRules(n: number): ValidationRuleDef[] {
  const shapes = [
    (i: number) => ({ all: [{ fact: 'amount', operator: 'greaterThan', value: 1_000_000 + i }] }),
    (i: number) => ({ all: [{ fact: 'stage', operator: 'equal', value: 'won' }, { fact: 'close_date', operator: 'isBlank', value: true }, { fact: 'probability', operator: 'lessThan', value: i % 100 }] }),
    () => ({ any: [{ fact: 'source', operator: 'notIn', value: ['web', 'referral', 'event', 'partner'] }, { fact: 'phone', operator: 'isBlank', value: true }] }),
    () => ({ all: [{ fact: 'close_date', operator: 'before', value: '2020-01-01' }] }),
    (i: number) => ({ all: [{ fact: 'name', operator: 'startsWith', value: `ZZ${i}` }, { fact: '$changed', operator: 'contains', value: 'amount' }] }),
  ];
  return Array.from({ length: n }, (_, i) => ({ name: `rule_${i}`, object: 'deal', conditions: shapes[i % shapes.length]!(i), message: label(`Rule ${i}`) }));
}

/** Per-record evaluation of 200 active validation rules (none fails: every rule is evaluated to the end). */
async function evaluation(records: number, rules: number): Promise<Summary> {
  const bundle: MetadataBundle = { objects: [deal], validationRules: manyRules(rules) };
  const compiled = objectRules(bundle, 'deal');
  const random = rng(7);
  const now = new Date();
  const samples: number[] = [];
  for (let i = 0; i < records + 50; i++) {
    const values = dealInput(i, 'eval', 'U', random);
    const facts = factsOf({ values, previous: { ...values, amount: 1 }, user: { id: 'U', roles: ['rep'] }, event: 'updated', now });
    const t0 = performance.now();
    const failing = await compiled.validation.matching(facts);
    const elapsed = performance.now() - t0;
    if (failing.length) throw new Error(`rule ${failing[0]!.name} failed on a valid record`);
    if (i >= 50) samples.push(elapsed);
  }
  return summarize(samples);
}

export async function ruleCosts(env: Environment, iterations: number): Promise<RuleFigures> {
  const current = expectStatus<Record<string, unknown>>(await env.lambda({ method: 'GET', path: '/api/metadata' }), 200, 'metadata');
  const { version: _v, publishedAt: _p, publishedBy: _b, ...bundle } = current.body;
  for (let i = 0; i < 3; i++) {
    await env.services.identity.createUser(env.tenant, { id: env.newId(), email: `rep${i}@bench.example`, name: `Rep ${i}`, roles: ['rep'], active: true, createdAt: new Date().toISOString(), passwordHash: '' });
  }
  forgetDirectory(env.tenant);
  expectStatus(await env.lambda({ method: 'PUT', path: '/api/metadata/draft', body: ruledBundle(bundle as unknown as MetadataBundle) }), 200, 'draft');
  expectStatus(await env.lambda({ method: 'POST', path: '/api/metadata/publish' }), 201, 'publish');

  const random = rng(99);
  const input = (i: number, tag: string) => ({ ...dealInput(i, tag, env.userId, random), stage: 'won', amount: 75_000 + i });
  const plain: number[] = [];
  const ruled: number[] = [];
  const warmup = 20;
  for (let i = 0; i < iterations + warmup; i++) {
    const a = expectStatus(await env.lambda({ method: 'POST', path: '/api/objects/deal/records', body: input(i, 'plainrule') }), 201, 'plain create');
    const b = expectStatus<Record<string, unknown>>(await env.lambda({ method: 'POST', path: '/api/objects/ruled_deal/records', body: input(i, 'ruled') }), 201, 'ruled create');
    if (b.body.probability !== 100 || b.body.next_step !== 'Executive review of the offer' || b.body.owner === env.userId) throw new Error('the ruled create did not run its rules');
    if (i >= warmup) {
      plain.push(a.ms);
      ruled.push(b.ms);
    }
  }
  const evaluationRecords = 2000;
  const rules = 200;
  return { plain: summarize(plain), ruled: summarize(ruled), iterations, evaluation: await evaluation(evaluationRecords, rules), evaluationRecords, rules };
}

export function ruleText(f: RuleFigures): string {
  const rows = [
    ['operation', 'p50', 'p99', 'ratio p50', 'ratio p99', 'target', 'verdict'],
    ['create without rules (deal)', ms(f.plain.p50), ms(f.plain.p99), '1.00×', '1.00×', '', ''],
    [
      'create with 3 before-save rules + round-robin assignment',
      ms(f.ruled.p50),
      ms(f.ruled.p99),
      times(f.ruled.p50 / f.plain.p50),
      times(f.ruled.p99 / f.plain.p99),
      `≤ ${RULED_CREATE_TARGET}×`,
      f.ruled.p50 / f.plain.p50 <= RULED_CREATE_TARGET ? 'met' : 'MISSED',
    ],
    [`evaluate ${f.rules} active validation rules, per record`, ms(f.evaluation.p50), ms(f.evaluation.p99), '', '', `< ${EVALUATION_TARGET_MS} ms`, f.evaluation.p50 < EVALUATION_TARGET_MS ? 'met' : 'MISSED'],
  ];
  return `${table(rows)}\n${f.iterations} interleaved creates per side through the Lambda path; evaluation over ${f.evaluationRecords} records in process (json-rules-engine, one engine per object).`;
}
