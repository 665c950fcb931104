import { EngineError } from '../../engine/errors';
import { authorizeWrite } from '../../engine/permissions/recordView';
import type { Labels, StateCategory } from '../../engine/metadata/types';
import { BUILT_IN_ADMIN } from '../../engine/metadata/types';
import type { StoredRecord } from '../../engine/records/types';
import { objectWorkflow } from '../../engine/workflows/compileWorkflow';
import { transitionReasons } from '../../engine/workflows/transitionReasons';
import type { TransitionReason } from '../../engine/workflows/transitionReasons';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { assertCurrentVersion, checkIfMatch } from './ifMatch';
import type { ApiRecord, Target } from './records';
import { guarded, reachable, saveContext, showOne, target } from './records';
import { saveUpdate } from './save';
import { prepareTransition, transitionNamed, workflowFor } from './transitionWrite';

/*
 * Transitions as people use them: which ones they may make now (each unavailable one with
 * its reasons — a form's buttons, a board's drop targets), and making one.
 */

export interface TransitionView {
  readonly name: string;
  readonly label?: Labels;
  readonly from: readonly string[];
  readonly to: string;
  readonly available: boolean;
  readonly reasons: ReadonlyArray<TransitionReason | { code: 'access'; message: string }>;
}

export interface TransitionsAnswer {
  /** Null when the object has no workflow. */
  readonly workflow: string | null;
  readonly field: string | null;
  readonly state: string | null;
  readonly category: StateCategory | null;
  /** When the record entered its state (null for records that predate the workflow). */
  readonly enteredAt: string | null;
  readonly approval: { readonly request: string; readonly process: string; readonly locked: boolean } | null;
  readonly transitions: readonly TransitionView[];
}

const isAdmin = (user: UserContext) => user.roles.includes(BUILT_IN_ADMIN);
/** The lock stops people's transitions, administrators' excepted. */
const lockedFor = (record: StoredRecord, user: UserContext) => record.workflow?.approval?.lock === true && !isAdmin(user);
const visibleTo = (t: Target) => (field: string) => t.access.fields.get(field)?.value !== 'hidden';

/** Whether the caller may update this record at all (the permission and their reach). */
function mayUpdate(t: Target, record: StoredRecord, owners: string[] | null): boolean {
  return t.access.can.update && (t.access.updateAll || owners === null || owners.includes(record.owner));
}

export async function listTransitions(services: Services, user: UserContext, objectName: string, id: string): Promise<TransitionsAnswer> {
  const t = await target(services, user, objectName);
  const { record, owners } = await reachable(services, user, t, id);
  const wf = objectWorkflow(t.bundle.bundle, t.object.name);
  const approval = record.workflow?.approval ? { request: record.workflow.approval.request, process: record.workflow.approval.process, locked: record.workflow.approval.lock } : null;
  // A workflow on a field hidden from the caller would reveal the field's value: it does not exist for them.
  if (!wf || !visibleTo(t)(wf.field)) return { workflow: null, field: null, state: null, category: null, enteredAt: null, approval, transitions: [] };
  const state = (record.values[wf.field] as string | undefined) ?? null;
  const canUpdate = mayUpdate(t, record, owners);
  const values = { ...record.values, owner: record.owner };
  const transitions: TransitionView[] = [];
  for (const tr of wf.transitions.values()) {
    const reasons: TransitionView['reasons'][number][] = canUpdate ? [] : [{ code: 'access', message: `you may not update this ${t.object.name} record` }];
    reasons.push(
      ...(await transitionReasons(tr, {
        workflow: wf,
        values,
        previous: values,
        user: { id: user.userId, roles: user.roles },
        mode: 'person',
        locked: lockedFor(record, user),
        now: services.now(),
        timeZone: t.bundle.bundle.settings?.businessHours?.timeZone,
        visible: visibleTo(t),
      })),
    );
    transitions.push({ name: tr.def.name, ...(tr.def.label ? { label: tr.def.label } : {}), from: tr.def.from, to: tr.def.to, available: reasons.length === 0, reasons });
  }
  return {
    workflow: wf.def.name,
    field: wf.field,
    state,
    category: state === null ? null : (wf.states.get(state)?.category ?? null),
    enteredAt: record.workflow?.state === state ? (record.workflow?.enteredAt ?? null) : null,
    approval,
    transitions,
  };
}

/** How many times a transition is evaluated again when the record changed under it (without If-Match). */
const RETRIES = 3;

/**
 * Makes a transition: 404 for an unknown one, 403 without update access or for a role that
 * may not make it, 409 with every reason when it is not possible now, 412 when `If-Match`
 * names another version. Without If-Match, a record changed meanwhile is read again and the
 * transition checked again — so of two concurrent transitions leaving the same state, one
 * is made and the other is refused, never both.
 */
export async function performTransition(services: Services, user: UserContext, objectName: string, id: string, name: string, version: number | undefined, body: unknown): Promise<ApiRecord> {
  const t = await target(services, user, objectName);
  checkIfMatch(version, false, 'record');
  const input = (body ?? {}) as { values?: unknown; comment?: unknown };
  const problems = [];
  if (typeof input !== 'object' || Array.isArray(input)) problems.push({ path: '', code: 'type', message: 'the body is an object' });
  else {
    for (const key of Object.keys(input)) if (key !== 'values' && key !== 'comment') problems.push({ path: `/${key}`, code: 'unknownProperty', message: `"${key}" is not part of a transition request (values, comment)` });
    if (input.values !== undefined && (typeof input.values !== 'object' || input.values === null || Array.isArray(input.values))) problems.push({ path: '/values', code: 'type', message: 'values is an object of fields' });
    if (input.comment !== undefined && (typeof input.comment !== 'string' || input.comment.length > 2000)) problems.push({ path: '/comment', code: 'type', message: 'a comment is text of at most 2,000 characters' });
  }
  if (problems.length) throw new EngineError('request.invalid', 'The transition request is not valid', problems);
  const ctx = saveContext(services, user, t);
  const wf = workflowFor(ctx);
  transitionNamed(wf, name);
  for (let attempt = 0; ; attempt++) {
    const { record, owners } = await reachable(services, user, t, id);
    if (!mayUpdate(t, record, owners)) throw new EngineError('access.denied', `You may not update this ${t.object.name} record`);
    if (version !== undefined) assertCurrentVersion(record.version, version, 'record');
    const values = authorizeWrite(t.object, t.access, input.values ?? {}, record) as Record<string, unknown>;
    if (wf.field in values) throw new EngineError('request.invalid', `The transition sets ${wf.field}`, [{ path: `/values/${wf.field}`, code: 'transitionField', message: `${wf.field} is what the transition sets` }]);
    try {
      return await guarded(t, async () => {
        const prepared = await prepareTransition(ctx, record, name, { mode: 'person', values, locked: lockedFor(record, user), ...(typeof input.comment === 'string' ? { comment: input.comment } : {}), visible: visibleTo(t) });
        const saved = await saveUpdate(ctx, record, prepared.input, record.version, { workflow: prepared.write });
        return showOne(services, user, t, saved ?? record);
      });
    } catch (error) {
      if (version === undefined && error instanceof EngineError && error.code === 'record.versionConflict' && attempt < RETRIES) continue;
      throw error;
    }
  }
}
