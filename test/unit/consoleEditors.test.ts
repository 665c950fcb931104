import { describe, expect, it } from 'vitest';
import { below, problemsUnder, statusAt } from '../../admin-ui/src/placedProblems';
import { nextState, roleTree, setFieldAccess, setGrant, wouldCycle } from '../../admin-ui/src/roles/permissionMatrix';
import { actionTypesFor, dateFields, emptyAction, triggerOf, writableFields } from '../../admin-ui/src/rules/ruleDrafts';
import type { MetadataBundle, ObjectDef, RoleDef } from '../../functions/engine/metadata/types';

const opportunity: ObjectDef = {
  name: 'opportunity', label: { en: 'Opportunity' }, nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { name: 'close_date', type: 'date', label: { en: 'Close date' } },
    { name: 'number', type: 'auto-number', label: { en: 'No.' }, pattern: 'O-{0000}' },
    { name: 'weighted', type: 'formula', label: { en: 'Weighted' }, returnType: 'date', expression: 'close_date' },
    { name: 'lines', type: 'rollup', label: { en: 'Lines' }, child: 'task', via: 'opportunity', function: 'count' },
  ],
};
const task: ObjectDef = {
  name: 'task', label: { en: 'Task' }, nameField: 'subject',
  fields: [
    { name: 'subject', type: 'text', label: { en: 'Subject' }, required: true },
    { name: 'opportunity', type: 'lookup', label: { en: 'Opportunity' }, target: 'opportunity', required: true },
    { name: 'kind', type: 'picklist', label: { en: 'Kind' }, options: [{ value: 'call', label: { en: 'Call' } }], required: true, default: 'call' },
  ],
};
const bundle: MetadataBundle = { objects: [opportunity, task], webhooks: [{ name: 'erp', object: 'opportunity', events: ['created'], url: 'https://erp.example.com' }] };

describe('rule editors: fresh actions and triggers', () => {
  it('offers only fields an action may write: not auto-numbers, formulas or roll-ups', () => {
    expect(writableFields(opportunity).map((f) => f.name)).toEqual(['name', 'close_date']);
  });

  it('starts a created record with its required fields, a lookup back to the triggering record filled with its id', () => {
    expect(emptyAction('createRecord', opportunity, bundle, 'task')).toEqual({ type: 'createRecord', object: 'task', values: { subject: { value: null }, opportunity: { field: 'id' } } });
    expect(emptyAction('webhook', opportunity, bundle)).toEqual({ type: 'webhook', webhook: 'erp' });
  });

  it('narrows a before-save rule to setting fields and assigning; a transition needs a workflow', () => {
    expect(actionTypesFor('before', bundle, 'opportunity')).toEqual(['setField', 'assign']);
    expect(actionTypesFor(undefined, bundle, 'opportunity')).toEqual(['setField', 'assign', 'createRecord', 'notify', 'webhook']);
    expect(actionTypesFor('after', { ...bundle, workflows: [{ object: 'opportunity' }] } as unknown as MetadataBundle, 'opportunity')).toContain('transition');
  });

  it('counts timed triggers from dates (date formulas too) and the record times, and keeps changed fields across event triggers', () => {
    expect(dateFields(opportunity)).toEqual(['close_date', 'weighted', 'created_at', 'updated_at']);
    expect(triggerOf('time', { on: 'created' }, opportunity)).toEqual({ on: 'time', field: 'close_date', offset: { days: 1 } });
    expect(triggerOf('updated', { on: 'created', fields: ['stage'] }, opportunity)).toEqual({ on: 'updated', fields: ['stage'] });
    expect(triggerOf('deleted', { on: 'created', fields: ['stage'] }, opportunity)).toEqual({ on: 'deleted' });
  });
});

describe('permission matrix', () => {
  const role: RoleDef = { name: 'rep', label: { en: 'Rep' }, objects: { opportunity: { read: true } } };

  it('cycles a cell through grant, deny and not granted', () => {
    expect([nextState(undefined), nextState(true), nextState(false)]).toEqual([true, false, undefined]);
  });

  it('sets and clears grants and field levels, dropping what becomes empty', () => {
    const granted = setGrant(role, 'task', 'create', true);
    expect(granted.objects).toEqual({ opportunity: { read: true }, task: { create: true } });
    expect(role.objects).toEqual({ opportunity: { read: true } });
    const hidden = setFieldAccess(granted, 'task', 'subject', 'hidden');
    expect(hidden.objects?.task).toEqual({ create: true, fields: { subject: 'hidden' } });
    expect(setFieldAccess(hidden, 'task', 'subject', undefined).objects?.task).toEqual({ create: true });
    expect(setGrant(setGrant(role, 'opportunity', 'read', undefined), 'x', 'scope', undefined)).toEqual({ name: 'rep', label: { en: 'Rep' } });
  });

  it('draws the hierarchy with unknown parents and cycles at the top, and refuses a parent below the role', () => {
    const roles: RoleDef[] = [
      { name: 'vp', label: {} }, { name: 'manager', label: {}, parent: 'vp' }, { name: 'rep', label: {}, parent: 'manager' },
      { name: 'lost', label: {}, parent: 'nobody' }, { name: 'a', label: {}, parent: 'b' }, { name: 'b', label: {}, parent: 'a' },
    ];
    const tree = roleTree(roles, (r) => r.name);
    expect(tree.map((n) => n.key)).toEqual(['vp', 'lost', 'a', 'b']);
    expect(tree[0]!.children[0]!.children[0]!.key).toBe('rep');
    expect(wouldCycle(roles, 'vp', 'rep')).toBe(true);
    expect(wouldCycle(roles, 'rep', 'vp')).toBe(false);
  });
});

describe('problems at their place', () => {
  const problems = [
    { pointer: '/validationRules/2/conditions/all/0/value', code: 'valueMismatch', message: 'a number' },
    { pointer: '/validationRules/2/message', code: 'required', message: 'a message' },
    { pointer: '/validationRules/20/name', code: 'duplicate', message: 'other rule' },
  ];
  it('takes the problems under one place, and below one of its parts', () => {
    const mine = problemsUnder(problems, '/validationRules/2');
    expect(mine.map((p) => p.rest)).toEqual(['conditions/all/0/value', 'message']);
    expect(statusAt(mine, 'message')).toEqual({ validateStatus: 'error', help: 'a message' });
    expect(statusAt(mine, 'name')).toEqual({});
    expect(below(mine, 'conditions').map((p) => p.pointer)).toEqual(['/all/0/value']);
  });
});

describe('formula editor: the engine checks and previews', () => {
  const deal: ObjectDef = {
    name: 'deal', label: { en: 'Deal' }, nameField: 'name',
    fields: [
      { name: 'name', type: 'text', label: { en: 'Name' } },
      { name: 'amount', type: 'currency', label: { en: 'Amount' } },
      { name: 'probability', type: 'percent', label: { en: 'Probability' } },
    ],
  };
  const formula = (expression: string, returnType: 'number' | 'text' = 'number') => ({ name: 'weighted', type: 'formula' as const, label: { en: 'Weighted' }, returnType, expression });

  it('types a formula against the object as edited, before it is saved', async () => {
    const { checkFormulaField } = await import('../../admin-ui/src/formulas/formulaCheck');
    expect(checkFormulaField(formula('amount * probability / 100'), deal)).toEqual({ ok: true, type: 'number', fields: ['amount', 'probability'], paths: [], volatile: false });
    expect(checkFormulaField(formula('amount * probability / 100', 'text'), deal)).toEqual({ ok: false, message: 'the expression gives number, but the field returns text' });
    expect(checkFormulaField(formula('amount +'), deal).ok).toBe(false);
    expect(checkFormulaField(formula('DATEDIFF(TODAY(), TODAY())'), deal)).toMatchObject({ ok: true, volatile: true });
  });

  it('previews the value a save would store for a sample record, and inserts at the caret', async () => {
    const { insertAt, previewFormula } = await import('../../admin-ui/src/formulas/formulaCheck');
    expect(previewFormula(formula('amount * probability / 100'), deal, { amount: 4200, probability: 25 }, new Date())).toEqual({ value: 1050 });
    expect(previewFormula(formula('amount / 0'), deal, { amount: 1 }, new Date())).toEqual({ value: null });
    expect(insertAt('amount * ', 9, 'probability')).toEqual({ text: 'amount * probability', caret: 20 });
  });
});

describe('layout editor: moving fields', () => {
  it('places a field once, moves it within and across columns, and takes it off', async () => {
    const { defaultLayout, findField, moveField, relationChoices, setColumnCount, unplacedFields } = await import('../../admin-ui/src/layouts/layoutModel');
    const layout = defaultLayout(task);
    expect(layout.sections[0]!.columns).toEqual([['subject', 'kind'], ['opportunity']]);
    const down = moveField(layout, 'subject', { section: 0, column: 0, index: 2 });
    expect(down.sections[0]!.columns[0]).toEqual(['kind', 'subject']);
    const across = moveField(layout, 'kind', { section: 0, column: 1, index: 0 });
    expect(across.sections[0]!.columns).toEqual([['subject'], ['kind', 'opportunity']]);
    const off = moveField(layout, 'opportunity', null);
    expect(findField(off, 'opportunity')).toBeNull();
    expect(unplacedFields(task, off)).toEqual(['opportunity']);
    expect(layout.sections[0]!.columns).toEqual([['subject', 'kind'], ['opportunity']]);
    expect(setColumnCount(layout.sections[0]!, 1).columns).toEqual([['subject', 'kind', 'opportunity']]);
    expect(setColumnCount(layout.sections[0]!, 3).columns).toEqual([['subject', 'kind'], ['opportunity'], []]);
    expect(relationChoices([opportunity, task], 'opportunity')).toEqual(['task.opportunity']);
  });
});

describe('problems outside objects link to where they are fixed', () => {
  it.each([
    { pointer: '/validationRules/0/conditions/all/0/value', to: '/rules/validation/lost_needs_reason' },
    { pointer: '/automationRules/7/actions/0', to: '/rules?kind=automation' },
    { pointer: '/assignmentRules/0/entries/1/assignee/role', to: '/rules/assignment/lead' },
    { pointer: '/roles/3/objects/lead/read', to: '/roles' },
    { pointer: '/settings/businessHours/timeZone', to: '/settings' },
    { pointer: '/templates/0', to: null },
  ])('$pointer → $to', async ({ pointer, to }) => {
    const { problemRoute } = await import('../../admin-ui/src/placedProblems');
    expect(problemRoute(pointer, { validationRules: [{ name: 'lost_needs_reason' }], assignmentRules: [{ object: 'lead' }] })).toBe(to);
  });
});

describe('rule names', () => {
  it('refuses a name that is not an API name or that another rule has', async () => {
    const { nameProblem } = await import('../../admin-ui/src/rules/ruleDrafts');
    expect(nameProblem('', ['a'], -1)).toBe('nameInvalid');
    expect(nameProblem('Big deal', [], -1)).toBe('nameInvalid');
    expect(nameProblem('big_deal', ['big_deal'], -1)).toBe('nameTaken');
    expect(nameProblem('big_deal', ['big_deal'], 0)).toBeNull();
  });
});

describe('workflow designer', () => {
  const deal: ObjectDef = {
    name: 'deal', label: { en: 'Deal' }, nameField: 'name',
    fields: [{ name: 'name', type: 'text', label: { en: 'Name' } }, { name: 'stage', type: 'picklist', label: { en: 'Stage' }, options: [{ value: 'open', label: { en: 'Open' } }, { value: 'won', label: { en: 'Won' } }, { value: 'lost', label: { en: 'Lost' } }] }],
  };
  it('starts a workflow with a state per option, connects states once per pair, and draws an edge per from-state', async () => {
    const { connect, diagram, newWorkflow, stateFields } = await import('../../admin-ui/src/workflows/workflowModel');
    expect(stateFields(deal).map((f) => f.name)).toEqual(['stage']);
    const wf = newWorkflow(deal, 'stage');
    expect(wf.states.map((s) => s.name)).toEqual(['open', 'won', 'lost']);
    const one = connect(wf, 'open', 'won');
    expect(one.workflow.transitions).toEqual([{ name: 'open_to_won', from: ['open'], to: 'won' }]);
    expect(connect(one.workflow, 'open', 'won').workflow).toBe(one.workflow);
    const reopened = { ...one.workflow, transitions: [...one.workflow.transitions, { name: 'reopen', from: ['won', 'lost'], to: 'open' }, { name: 'give_up', from: ['*'], to: 'lost' }] };
    const { nodes, edges } = diagram(reopened);
    expect(edges.map((e) => e.id)).toEqual(['open_to_won:open', 'reopen:won', 'reopen:lost']);
    expect(nodes.find((n) => n.id === 'lost')?.fromAny).toEqual(['give_up']);
  });
});
