import { describe, expect, it } from 'vitest';
import { validateMetadata } from '../../functions/engine/metadata/validateMetadata';
import type { ApprovalProcessDef, FieldDef, MetadataBundle, ObjectDef, WorkflowDef } from '../../functions/engine/metadata/types';
import { objectWorkflow, slaRules, workflowRule } from '../../functions/engine/workflows/compileWorkflow';
import { transitionReasons } from '../../functions/engine/workflows/transitionReasons';
import { approveRequest, delegateRequest, pendingApprovers, recallRequest, rejectRequest, resolveApprovers, submitRequest } from '../../functions/engine/workflows/approvalRequest';
import type { AdvanceContext, DirectoryUser } from '../../functions/engine/workflows/approvalRequest';
import { funnelFigures } from '../../functions/engine/workflows/funnel';
import { holds } from '../../functions/engine/rules/conditions';
import { EngineError } from '../../functions/engine/errors';

/*
 * Workflows and approvals without a database: what metadata validation refuses (each
 * problem at its pointer), why a transition is unavailable, the approval request as a value
 * through submit, approve, reject back, delegate and recall, and funnel arithmetic.
 */

const L = (en: string) => ({ en });
const deal: ObjectDef = {
  name: 'deal',
  label: L('Deal'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: L('Name'), required: true },
    { name: 'stage', type: 'picklist', label: L('Stage'), required: true, default: 'open', options: ['open', 'offer', 'won', 'lost'].map((value) => ({ value, label: L(value) })) },
    { name: 'amount', type: 'currency', label: L('Amount') },
    { name: 'probability', type: 'percent', label: L('Probability') },
    { name: 'reason', type: 'text', label: L('Reason') },
    { name: 'notes', type: 'textarea', label: L('Notes') },
  ] as FieldDef[],
};
const flow: WorkflowDef = {
  name: 'deal_flow',
  object: 'deal',
  field: 'stage',
  probabilityField: 'probability',
  amountField: 'amount',
  states: [
    { name: 'open', category: 'open', probability: 10 },
    { name: 'offer', category: 'open', probability: 50, requiredFields: ['amount'], sla: [{ name: 'stale', after: { days: 3 }, actions: [{ type: 'notify', to: [{ owner: true }], message: L('stale') }] }] },
    { name: 'won', category: 'won', probability: 100 },
    { name: 'lost', category: 'lost', probability: 0, requiredFields: ['reason'] },
  ],
  transitions: [
    { name: 'offer', from: ['open'], to: 'offer' },
    { name: 'win', from: ['offer'], to: 'won', roles: ['closer'], guards: [{ conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 0 }] }, message: L('needs an amount') }] },
    { name: 'lose', from: ['*'], to: 'lost', actions: [{ type: 'setField', field: 'notes', to: { value: 'lost' } }, { type: 'notify', to: [{ owner: true }], message: L('lost') }] },
    { name: 'auto', from: ['won'], to: 'open', manual: false },
  ],
};
const roles = [{ name: 'closer', label: L('Closer'), objects: { deal: { read: true, update: true } } }, { name: 'outsider', label: L('Outsider') }];
const base = (extra: Partial<MetadataBundle> = {}): MetadataBundle => structuredClone({ objects: [deal], roles, workflows: [flow], ...extra });

describe('workflow metadata validation', () => {
  it('accepts a sound workflow and approval process', () => {
    const process: ApprovalProcessDef = { name: 'big', object: 'deal', steps: [{ name: 'boss', approvers: [{ type: 'manager' }] }], onApprove: [{ type: 'transition', transition: 'win' }] };
    expect(validateMetadata(base({ approvalProcesses: [process] }))).toEqual([]);
  });

  it.each([
    { title: 'a workflow on a field that is not a picklist', change: (b: MetadataBundle) => (b.workflows![0]!.field = 'notes'), at: '/workflows/0/field notAPicklist' },
    { title: 'a workflow on a field that does not exist', change: (b: MetadataBundle) => (b.workflows![0]!.field = 'nope'), at: '/workflows/0/field unknownField' },
    { title: 'a transition to an unknown state', change: (b: MetadataBundle) => (b.workflows![0]!.transitions[0]!.to = 'nowhere'), at: '/workflows/0/transitions/0/to unknownState' },
    { title: 'a transition from an unknown state', change: (b: MetadataBundle) => (b.workflows![0]!.transitions[0]!.from = ['limbo']), at: '/workflows/0/transitions/0/from/0 unknownState' },
    { title: 'a state that is not an option of the field', change: (b: MetadataBundle) => b.workflows![0]!.states.push({ name: 'ghost', category: 'open' }), at: '/workflows/0/states/4/name unknownState' },
    { title: 'an option of the field that is no state', change: (b: MetadataBundle) => b.workflows![0]!.states.splice(3, 1), at: '/workflows/0/states missingState' },
    { title: 'an unreachable state', change: (b: MetadataBundle) => (b.workflows![0]!.transitions = b.workflows![0]!.transitions.filter((t) => t.name !== 'win')), at: '/workflows/0/states/2/name unreachable' },
    { title: 'an unknown role', change: (b: MetadataBundle) => (b.workflows![0]!.transitions[1]!.roles = ['nobody']), at: '/workflows/0/transitions/1/roles/0 unknownRole' },
    { title: 'a guard on an unknown field', change: (b: MetadataBundle) => (b.workflows![0]!.transitions[1]!.guards![0]!.conditions = { all: [{ fact: 'size', operator: 'equal', value: 1 }] }), at: '/workflows/0/transitions/1/guards/0/conditions/all/0/fact unknownField' },
    { title: 'a required field that does not exist', change: (b: MetadataBundle) => (b.workflows![0]!.states[1]!.requiredFields = ['budget']), at: '/workflows/0/states/1/requiredFields/0 unknownField' },
    { title: 'an action setting the governed field', change: (b: MetadataBundle) => (b.workflows![0]!.transitions[0]!.actions = [{ type: 'setField', field: 'stage', to: { value: 'won' } }]), at: '/workflows/0/transitions/0/actions/0/field governedField' },
    { title: 'an action naming an unknown transition', change: (b: MetadataBundle) => (b.workflows![0]!.states[1]!.sla![0]!.actions = [{ type: 'transition', transition: 'fly' }]), at: '/workflows/0/states/1/sla/0/actions/0/transition unknownTransition' },
    { title: 'a business-hours SLA without business hours', change: (b: MetadataBundle) => (b.workflows![0]!.states[1]!.sla![0]!.after = { hours: 4, business: true }), at: '/workflows/0/states/1/sla/0/after/business noBusinessHours' },
    { title: 'a default that is not an initial state', change: (b: MetadataBundle) => (b.workflows![0]!.initial = ['offer']), at: '/workflows/0/initial initialState' },
    { title: 'two workflows on one object', change: (b: MetadataBundle) => b.workflows!.push({ ...structuredClone(flow), name: 'second' }), at: '/workflows/1/object duplicate' },
    { title: 'a probability field that is text', change: (b: MetadataBundle) => (b.workflows![0]!.probabilityField = 'notes'), at: '/workflows/0/probabilityField type' },
    { title: 'an automation rule setting the governed field', change: (b: MetadataBundle) => (b.automationRules = [{ name: 'r', object: 'deal', trigger: { on: 'created' }, actions: [{ type: 'setField', field: 'stage', to: { value: 'won' } }] }]), at: '/automationRules/0/actions/0/field governedField' },
    { title: 'an automation rule transitioning an object without a workflow', change: (b: MetadataBundle) => (b.automationRules = [{ name: 'r', object: 'deal', trigger: { on: 'created' }, actions: [{ type: 'transition', transition: 'nope' }] }]), at: '/automationRules/0/actions/0/transition unknownTransition' },
    { title: 'an approval step with no approver', change: (b: MetadataBundle) => (b.approvalProcesses = [{ name: 'p', object: 'deal', steps: [{ name: 's', approvers: [] }] }]), at: '/approvalProcesses/0/steps/0/approvers noPossibleApprover' },
    { title: 'an approval step whose role cannot read the object', change: (b: MetadataBundle) => (b.approvalProcesses = [{ name: 'p', object: 'deal', steps: [{ name: 's', approvers: [{ type: 'role', role: 'outsider' }] }] }]), at: '/approvalProcesses/0/steps/0/approvers/0/role noPossibleApprover' },
    { title: 'an approval step naming an unknown role', change: (b: MetadataBundle) => (b.approvalProcesses = [{ name: 'p', object: 'deal', steps: [{ name: 's', approvers: [{ type: 'role', role: 'ghost' }] }] }]), at: '/approvalProcesses/0/steps/0/approvers/0/role unknownRole' },
    { title: 'an approval process on an unknown object', change: (b: MetadataBundle) => (b.approvalProcesses = [{ name: 'p', object: 'nothing', steps: [{ name: 's', approvers: [{ type: 'manager' }] }] }]), at: '/approvalProcesses/0/object unknownObject' },
    { title: 'an approval outcome with two transitions', change: (b: MetadataBundle) => (b.approvalProcesses = [{ name: 'p', object: 'deal', steps: [{ name: 's', approvers: [{ type: 'manager' }] }], onApprove: [{ type: 'transition', transition: 'offer' }, { type: 'transition', transition: 'win' }] }]), at: '/approvalProcesses/0/onApprove/1 tooMany' },
  ])('refuses $title', ({ change, at }) => {
    const bundle = base();
    change(bundle);
    expect(validateMetadata(bundle).map((p) => `${p.path} ${p.code}`)).toContain(at);
  });

  it('refuses a malformed workflow by its meta-schema (a colour that is not #rrggbb, a category that does not exist)', () => {
    const bundle = base();
    (bundle.workflows![0]!.states[0] as { color?: string }).color = 'red';
    (bundle.workflows![0]!.states[1] as { category: string }).category = 'maybe';
    const at = validateMetadata(bundle).map((p) => p.path);
    expect(at).toEqual(expect.arrayContaining(['/workflows/0/states/0/color', '/workflows/0/states/1/category']));
  });
});

describe('compiled workflows', () => {
  const bundle = base();
  it('derive an SLA rule per state level, on when the record entered its state, and after-save rules for transitions', () => {
    const [sla] = slaRules(bundle, 'deal');
    expect(sla).toMatchObject({ name: 'sla:deal_flow:offer:stale', trigger: { on: 'time', field: '$stateEnteredAt', offset: { days: 3 } }, conditions: { all: [{ fact: 'stage', operator: 'equal', value: 'offer' }] } });
    expect(workflowRule(bundle, 'transition:deal_flow:lose')?.actions.map((a) => a.type)).toEqual(['notify']);
    expect(objectWorkflow(bundle, 'deal')!.transitions.get('lose')!.inWrite.map((a) => a.type)).toEqual(['setField']);
    expect(objectWorkflow(bundle, 'deal')!.initial).toEqual(new Set(['open']));
  });

  const check = (values: Record<string, unknown>, roles: string[] = [], locked = false) => ({ workflow: objectWorkflow(bundle, 'deal')!, values, previous: values, user: { id: 'u', roles }, mode: 'person' as const, locked, now: new Date('2026-11-20T00:00:00Z') });
  const reasons = async (name: string, c: ReturnType<typeof check>) => (await transitionReasons(objectWorkflow(bundle, 'deal')!.transitions.get(name)!, c)).map((r) => r.code);

  it.each([
    { title: 'allowed', name: 'offer', values: { stage: 'open', amount: 5 }, roles: [], expected: [] },
    { title: 'not from this state', name: 'win', values: { stage: 'open', amount: 5 }, roles: ['closer'], expected: ['notFromState'] },
    { title: 'a role that may not', name: 'win', values: { stage: 'offer', amount: 5 }, roles: [], expected: ['role'] },
    { title: 'the administrator always may', name: 'win', values: { stage: 'offer', amount: 5 }, roles: ['admin'], expected: [] },
    { title: 'a failing guard', name: 'win', values: { stage: 'offer', amount: 0 }, roles: ['closer'], expected: ['guard'] },
    { title: 'a required field of the target state', name: 'lose', values: { stage: 'offer' }, roles: [], expected: ['requiredFields'] },
    { title: 'made by automation only', name: 'auto', values: { stage: 'won' }, roles: ['admin'], expected: ['automatic'] },
    { title: 'every reason at once', name: 'win', values: { stage: 'open', amount: 0 }, roles: [], expected: ['notFromState', 'role', 'guard'] },
  ])('a transition $title', async ({ name, values, roles: r, expected }) => {
    expect(await reasons(name, check(values, r))).toEqual(expected);
  });

  it('a locked record refuses transitions', async () => {
    expect(await reasons('offer', check({ stage: 'open', amount: 5 }, [], true))).toEqual(['locked']);
  });
});

describe('an approval request as a value', () => {
  const users: DirectoryUser[] = [
    { id: 'rep', email: 'rep@x', roles: ['closer'], active: true, manager: 'boss' },
    { id: 'boss', email: 'boss@x', roles: ['closer'], active: true, manager: 'gone' },
    { id: 'gone', email: 'gone@x', roles: ['closer'], active: false, manager: 'ceo' },
    { id: 'ceo', email: 'ceo@x', roles: ['director'], active: true },
    { id: 'd1', email: 'd1@x', roles: ['director'], active: true },
    { id: 'stranger', email: 's@x', roles: ['outsider'], active: true },
  ];
  const process: ApprovalProcessDef = {
    name: 'big',
    object: 'deal',
    steps: [
      { name: 'manager', approvers: [{ type: 'manager' }] },
      { name: 'directors', approvers: [{ type: 'role', role: 'director' }], mode: 'all', conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 100 }] } },
      { name: 'top', approvers: [{ type: 'manager', level: 2 }] },
    ],
  };
  const ctx = (amount: number): AdvanceContext => ({ users, eligible: (u) => !u.roles.includes('outsider'), applies: (step) => holds(step.conditions, { amount }) });
  const at = '2026-11-20T00:00:00.000Z';
  const submit = (amount: number) => submitRequest(process, { id: 'req', recordId: 'r', recordName: 'Deal', submittedBy: 'rep', at }, ctx(amount));

  it('asks the manager, then every director (all must approve), then the manager chain two up, passing an inactive manager', async () => {
    let r = await submit(500);
    expect(pendingApprovers(r)).toEqual(['boss']);
    r = await approveRequest(process, r, { user: 'boss', at }, ctx(500));
    expect(pendingApprovers(r).sort()).toEqual(['ceo', 'd1']);
    r = await approveRequest(process, r, { user: 'd1', at, comment: 'fine' }, ctx(500));
    expect(pendingApprovers(r)).toEqual(['ceo']);
    r = await approveRequest(process, r, { user: 'ceo', at }, ctx(500));
    // Two up from rep: boss, then (gone is inactive) ceo.
    expect(r.steps[2]!.approvers).toEqual([{ user: 'ceo', via: 'manager:2' }]);
    r = await approveRequest(process, r, { user: 'ceo', at }, ctx(500));
    expect(r.status).toBe('approved');
    expect(r.events.map((e) => e.action)).toEqual(['submitted', 'approved', 'approved', 'approved', 'approved']);
  });

  it('skips a step whose conditions do not hold', async () => {
    const r = await approveRequest(process, await submit(50), { user: 'boss', at }, ctx(50));
    expect(r.steps.map((s) => s.status)).toEqual(['approved', 'skipped', 'pending']);
  });

  it('rejects back to an earlier step (asked afresh) or to the submitter (the request is rejected)', async () => {
    let r = await approveRequest(process, await submit(500), { user: 'boss', at }, ctx(500));
    r = await rejectRequest(process, r, { user: 'd1', at, backTo: 'manager', comment: 'redo' }, ctx(500));
    expect(r.status).toBe('pending');
    expect(r.steps.map((s) => s.status)).toEqual(['pending', 'waiting', 'waiting']);
    expect(pendingApprovers(r)).toEqual(['boss']);
    await expect(rejectRequest(process, r, { user: 'boss', at, backTo: 'top' }, ctx(500))).rejects.toMatchObject({ code: 'request.invalid' });
    r = await rejectRequest(process, r, { user: 'boss', at }, ctx(500));
    expect(r.status).toBe('rejected');
    expect(pendingApprovers(r)).toEqual([]);
  });

  it('delegates a decision, refuses strangers, and lets only the submitter recall', async () => {
    let r = await submit(50);
    await expect(approveRequest(process, r, { user: 'd1', at }, ctx(50))).rejects.toMatchObject({ code: 'access.denied' });
    expect(() => delegateRequest(r, { user: 'boss', at, to: 'stranger' }, ctx(50))).toThrow(EngineError);
    r = delegateRequest(r, { user: 'boss', at, to: 'd1@x' }, ctx(50));
    expect(pendingApprovers(r)).toEqual(['d1']);
    expect(() => recallRequest(process, r, { user: 'd1', at, administrator: false })).toThrow(EngineError);
    r = recallRequest(process, r, { user: 'rep', at, administrator: false });
    expect(r.status).toBe('recalled');
  });

  it('resolves nobody when the approvers are the submitter or inactive, and refuses the submission', async () => {
    expect(resolveApprovers({ name: 's', approvers: [{ type: 'user', user: 'rep' }, { type: 'user', user: 'gone' }] }, 'rep', ctx(1))).toEqual([]);
    await expect(submitRequest({ ...process, steps: [{ name: 's', approvers: [{ type: 'user', user: 'gone' }] }] }, { id: 'x', recordId: 'r', recordName: null, submittedBy: 'rep', at }, ctx(1))).rejects.toMatchObject({ code: 'approval.notAllowed' });
  });
});

describe('funnel arithmetic', () => {
  it('counts entries, advances, conversion and average time in state', () => {
    const wf = objectWorkflow(base(), 'deal')!;
    const c = (recordId: string, version: number, from: string | null, to: string, at: string, fromEnteredAt: string | null) => ({ recordId, version, from, to, at, fromEnteredAt, amount: 10 });
    const figures = funnelFigures(
      wf,
      new Map([['offer', { count: 1, amount: 10 }]]),
      [
        c('a', 1, null, 'open', '2026-01-01T00:00:00Z', null),
        c('a', 2, 'open', 'offer', '2026-01-01T10:00:00Z', '2026-01-01T00:00:00Z'),
        c('b', 1, null, 'open', '2026-01-01T00:00:00Z', null),
        c('b', 2, 'open', 'lost', '2026-01-01T02:00:00Z', '2026-01-01T00:00:00Z'),
      ],
      true,
    );
    expect(figures.find((f) => f.state === 'open')).toMatchObject({ entered: 2, advanced: 1, conversion: 0.5, exits: 2, averageHoursInState: 6, enteredAmount: 20 });
    expect(figures.find((f) => f.state === 'offer')).toMatchObject({ count: 1, amount: 10, entered: 1, advanced: 0, conversion: 0, exits: 0, averageHoursInState: null });
  });
});
