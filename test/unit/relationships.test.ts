import { describe, expect, it } from 'vitest';
import { compileBundle } from '../../functions/engine/compile/compileBundle';
import { EngineError } from '../../functions/engine/errors';
import { parentResolver } from '../../functions/engine/fields/formula';
import { FormulaError, checkFormula, evaluateFormula } from '../../functions/engine/formulas/formula';
import { assignSlots } from '../../functions/engine/metadata/indexes';
import type { MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import { followMaster, pairGuards } from '../../functions/engine/records/masterDetail';
import { planCreate, planDelete, planPatch } from '../../functions/engine/records/planWrites';

const L = (en: string) => ({ en });
const account: ObjectDef = {
  name: 'account',
  label: L('Account'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'score', type: 'number', label: L('Score') },
    { name: 'tags', type: 'multi-picklist', label: L('Tags'), options: [{ value: 'a', label: L('A') }] },
    { name: 'seen', type: 'formula', returnType: 'number', expression: 'DATEDIFF(TODAY(), TODAY())', label: L('Seen') },
    { name: 'parent', type: 'lookup', target: 'account', label: L('Parent') },
  ],
};
const deal: ObjectDef = {
  name: 'deal',
  label: L('Deal'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'account', type: 'lookup', target: 'account', relationship: 'master-detail', required: true, indexed: true, label: L('Account') },
    { name: 'stage', type: 'picklist', label: L('Stage'), options: ['new', 'won', 'lost', 'renewal'].map((value) => ({ value, label: L(value) })) },
    { name: 'double', type: 'formula', returnType: 'number', expression: 'account.parent.score * 2', label: L('Double') },
  ],
  recordTypes: [
    { name: 'fresh', label: L('Fresh'), default: true, picklistValues: { stage: ['new', 'won', 'lost'] } },
    { name: 'renewal', label: L('Renewal'), picklistValues: { stage: ['renewal', 'won', 'lost'] } },
  ],
};
const link: ObjectDef = {
  name: 'link',
  label: L('Link'),
  nameField: 'note',
  junction: { between: ['deal', 'account'] },
  fields: [
    { name: 'note', type: 'text', label: L('Note') },
    { name: 'deal', type: 'lookup', target: 'deal', relationship: 'master-detail', required: true, indexed: true, label: L('Deal') },
    { name: 'account', type: 'lookup', target: 'account', relationship: 'master-detail', required: true, indexed: true, label: L('Account') },
  ],
};
const bundle: MetadataBundle = { objects: [account, deal, link] };
const compiled = compileBundle('t', 1, bundle, assignSlots(bundle, null, null).storage);
let n = 0;
const ctx = { userId: '01J0000000000000000000USER', now: new Date('2026-11-23T10:00:00Z'), newId: () => `01J00000000000000000000${String(n++).padStart(3, '0')}` };
const ACCOUNT = '01J000000000000000000ACCT1';
const problems = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error.details.map((p) => `${p.path} ${p.code}`);
    throw error;
  }
  return [];
};

describe('formulas over parent fields', () => {
  const resolve = parentResolver(deal, bundle);
  it.each([
    { title: 'a parent field', path: ['account', 'score'], type: 'number' },
    { title: 'a grandparent field', path: ['account', 'parent', 'name'], type: 'text' },
  ])('types $title', ({ path, type }) => expect(resolve(path)).toBe(type));

  it.each([
    { title: 'a field that is not a lookup', path: ['name', 'score'], code: 'unknownLookup' },
    { title: 'an unknown parent field', path: ['account', 'colour'], code: 'unknownParentField' },
    { title: 'a roll-up-like value not stored on the parent (multi-picklist)', path: ['account', 'tags'], code: 'unknownParentField' },
    { title: 'a parent formula computed on read', path: ['account', 'seen'], code: 'unknownParentField' },
    { title: 'three lookups deep', path: ['account', 'parent', 'parent', 'name'], code: 'depthExceeded' },
  ])('refuses $title', ({ path, code }) => {
    expect(() => resolve(path)).toThrow(FormulaError);
    try {
      resolve(path);
    } catch (error) {
      expect((error as FormulaError).code).toBe(code);
    }
  });

  it('evaluates from values supplied under the dotted path, and never reaches prototypes', () => {
    const checked = checkFormula('account.parent.score * 2', new Map([['account', 'text']]), resolve);
    expect([...checked.paths]).toEqual(['account.parent.score']);
    expect(evaluateFormula(checked.ast, { 'account.parent.score': 21 }, ctx.now)).toBe(42);
    expect(evaluateFormula(checked.ast, {}, ctx.now)).toBeNull();
    expect(() => checkFormula('account["score"]', new Map([['account', 'text']]), resolve)).toThrow(FormulaError);
    expect(() => checkFormula('account.constructor', new Map([['account', 'text']]), resolve)).toThrow(FormulaError);
  });

  it('compiles such formulas as computed on read, with the parent paths to fetch', () => {
    const d = compiled.object('deal');
    expect(d.volatileFormulas.map((f) => f.field.name)).toEqual(['double']);
    expect(d.parentPaths).toEqual([['account', 'parent', 'score']]);
  });
});

describe('record types in the engine, so every channel gets them', () => {
  const d = compiled.object('deal');
  it('planCreate refuses values outside the record type and defaults the type', () => {
    expect(problems(() => planCreate(d, { name: 'x', account: ACCOUNT, stage: 'renewal' }, ctx, {}))).toEqual(['/stage enum']);
    const plan = planCreate(d, { name: 'x', account: ACCOUNT, stage: 'won' }, ctx, {});
    expect(plan.record!.values.record_type).toBe('fresh');
    expect(problems(() => planCreate(d, { name: 'x', account: ACCOUNT, stage: 'renewal', record_type: 'renewal' }, ctx, {}))).toEqual([]);
  });

  it('planPatch checks changed picklists, and every picklist when the type changes', () => {
    const plan = planCreate(d, { name: 'x', account: ACCOUNT, stage: 'new' }, ctx, {});
    expect(problems(() => planPatch(d, plan.record!, { stage: 'renewal' }, 1, ctx))).toEqual(['/stage enum']);
    expect(problems(() => planPatch(d, plan.record!, { record_type: 'renewal' }, 1, ctx))).toEqual(['/stage enum']);
    expect(problems(() => planPatch(d, plan.record!, { record_type: 'renewal', stage: 'won' }, 1, ctx))).toEqual([]);
  });
});

describe('master-detail and junctions as plan facts', () => {
  it('a detail names its master for the store, ignores a given owner, and takes the master’s owner when resolved', () => {
    const d = compiled.object('deal');
    const plan = planCreate(d, { name: 'x', account: ACCOUNT, owner: '01J0000000000000000000OTHER'.slice(0, 26) }, ctx, {});
    expect(plan.ownerFrom).toEqual({ path: '/account', object: 'account', id: ACCOUNT });
    expect(plan.record!.owner).toBe(ctx.userId);
    const resolved = followMaster(plan, '01J00000000000000000MASTER');
    expect(resolved.record!.owner).toBe('01J00000000000000000MASTER');
    expect(resolved.history!.changes.owner).toEqual({ old: null, new: '01J00000000000000000MASTER' });
    expect(plan.record!.owner).toBe(ctx.userId);
    // A patch that does not re-parent names no master; one that does, names the new one.
    expect(planPatch(d, resolved.record!, { name: 'y' }, 1, ctx)!.ownerFrom).toBeUndefined();
    expect(planPatch(d, resolved.record!, { account: '01J000000000000000000ACCT2' }, 1, ctx)!.ownerFrom?.id).toBe('01J000000000000000000ACCT2');
  });

  it('a master remembers its owner before an update so its details can follow', () => {
    const a = compiled.object('account');
    expect(a.details).toEqual([{ object: 'deal', field: 'account' }]);
    const plan = planCreate(a, { name: 'A' }, ctx, {});
    expect(planPatch(a, plan.record!, { name: 'B' }, 1, ctx)!.ownerBefore).toBe(ctx.userId);
  });

  it('a junction record holds its pair’s guard from create to delete', () => {
    const j = compiled.object('link');
    const plan = planCreate(j, { deal: '01J000000000000000000DEAX1', account: ACCOUNT }, ctx, {});
    expect(plan.guardsToAdd).toEqual(pairGuards(j, plan.record!.values));
    expect(plan.guardsToAdd).toEqual([{ field: 'account', key: `pair:01J000000000000000000DEAX1:${ACCOUNT}` }]);
    const moved = planPatch(j, plan.record!, { account: '01J000000000000000000ACCT2' }, 1, ctx)!;
    expect(moved.guardsToRemove).toEqual(plan.guardsToAdd);
    expect(moved.guardsToAdd[0]!.key).toBe('pair:01J000000000000000000DEAX1:01J000000000000000000ACCT2');
    expect(planDelete(j, plan.record!, 1, ctx).guardsToRemove).toEqual(plan.guardsToAdd);
  });
});
