import { lazyValidator } from '../../engine/ajv';
import { CONVERSION_REQUEST_SCHEMA } from './conversionRequest';
import { conversionOf } from '../../engine/conversions/conversionProblems';
import { EngineError, pointer } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import type { ConversionDef, ConversionTarget, ConversionTargetDef } from '../../engine/metadata/types';
import { CONVERSION_TARGETS } from '../../engine/metadata/types';
import { authorizeWrite } from '../../engine/permissions/recordView';
import { mergeRollups } from '../../engine/records/rollups';
import type { StoredRecord, WritePlan } from '../../engine/records/types';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { recomputeRollup } from './rollupRecompute';
import { convertedError, isConverted } from './conversionWrite';
import { assertCurrentVersion, checkIfMatch } from './ifMatch';
import type { ApiRecord, Target } from './records';
import { assertWriteReach, guarded, reachable, saveContext, showOne, target } from './records';
import { actionValue, checkCreate, checkUpdate } from './save';
import type { PendingCreate } from './save';

/*
 * Converting a record (a lead) into the records its conversion names: an account and a
 * contact, each new or one the caller attaches, and optionally a new opportunity. Every new
 * record goes through the one write pipeline (schema, before-save rules, assignment,
 * validation, duplicate rules); every check of every record runs before anything is
 * written, and then all of them — with the source marked converted and linked to what it
 * became — commit in one transaction. The source is read-only afterwards (conversionWrite.ts).
 *
 * Problems are answered at once, keyed by the record they are about: `/account/name`,
 * `/opportunity/close_date`, `/source/email`.
 */

/** What the caller chose for one target: attach an existing record (its id), create one (with values over the mapped ones), or none (opportunity only). */
type Choice = string | { values?: Record<string, unknown> } | false | undefined;

export interface ConversionRequest {
  readonly account?: Choice;
  readonly contact?: Choice;
  readonly opportunity?: Choice;
}

export interface ConversionAnswer {
  /** The converted record as the caller sees it now. */
  readonly source: ApiRecord;
  readonly account: ApiRecord;
  readonly contact: ApiRecord;
  readonly opportunity: ApiRecord | null;
  /** Which of them the conversion created (the others were attached). */
  readonly created: { readonly account: boolean; readonly contact: boolean; readonly opportunity: boolean };
}

const validateRequest = lazyValidator(CONVERSION_REQUEST_SCHEMA);

interface Step {
  readonly role: ConversionTarget;
  readonly def: ConversionTargetDef;
  readonly t: Target;
  readonly id: string;
  /** The record attached instead of a new one. */
  readonly existing?: StoredRecord;
  pending?: PendingCreate;
}

/** Problems of one record, moved under its key. */
const under = (key: string, problems: readonly Problem[], object: string): Problem[] => problems.map((p) => ({ ...p, path: `/${key}${p.path}`, params: { ...p.params, object } }));

/** The values a new target record starts from: the mapped source values, the conversion's own, and the links. */
function startingValues(services: Services, t: Target, conversion: ConversionDef, def: ConversionTargetDef, source: StoredRecord, ids: Partial<Record<ConversionTarget, string>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { from, to } of def.map ?? []) if (source.values[from] !== undefined) values[to] = source.values[from];
  for (const [field, to] of Object.entries(def.set ?? {})) {
    const value = actionValue(to, source.values, t.object.fields.get(field)?.def, { now: services.now(), settings: t.bundle.bundle.settings });
    if (value !== null && value !== undefined) values[field] = value;
  }
  if (def.accountField && ids.account) values[def.accountField] = ids.account;
  if (def.sourceField) values[def.sourceField] = source.id;
  return values;
}

async function targetFor(services: Services, user: UserContext, def: ConversionTargetDef): Promise<Target> {
  try {
    return await target(services, user, def.object);
  } catch (error) {
    if (error instanceof EngineError && error.code === 'object.notFound') throw new EngineError('access.denied', `You may not create ${def.object} records`);
    throw error;
  }
}

export async function convertRecord(services: Services, user: UserContext, objectName: string, id: string, version: number | undefined, body: unknown): Promise<ConversionAnswer> {
  const t = await target(services, user, objectName);
  checkIfMatch(version, false, 'record');
  const conversion = conversionOf(t.bundle.bundle, t.object.name);
  if (!conversion) throw new EngineError('request.invalid', `${t.object.name} records cannot be converted: the object has no conversion`, [{ path: '', code: 'noConversion', message: 'the object has no conversion' }]);
  const shape = validateRequest(body ?? {});
  if (shape.length) throw new EngineError('request.invalid', 'The conversion request is not valid', shape);
  const request = (body ?? {}) as ConversionRequest;
  const { record, owners } = await reachable(services, user, t, id);
  assertWriteReach(t, record, owners, 'update');
  if (version !== undefined) assertCurrentVersion(record.version, version, 'record');
  if (isConverted(conversion, record)) throw convertedError(t.object.name, record, conversion);

  const problems: Problem[] = [];
  const steps: Step[] = [];
  const ids: Partial<Record<ConversionTarget, string>> = {};
  for (const role of CONVERSION_TARGETS) {
    const def = conversion[role];
    const choice = request[role];
    if (!def || choice === false) continue;
    const tt = await targetFor(services, user, def);
    if (typeof choice === 'string') {
      // Named even when unreachable, so the records pointing at it report no second problem.
      ids[role] = choice;
      try {
        steps.push({ role, def, t: tt, id: choice, existing: (await reachable(services, user, tt, choice)).record });
      } catch (error) {
        if (!(error instanceof EngineError && error.code === 'record.notFound')) throw error;
        problems.push({ path: pointer(role), code: 'notFound', message: `there is no ${def.object} record ${choice}`, params: { object: def.object, id: choice } });
      }
      continue;
    }
    if (!tt.access.can.create) throw new EngineError('access.denied', `You may not create ${def.object} records`, [{ path: pointer(role), code: 'access', message: `you may not create ${def.object} records`, params: { object: def.object } }]);
    ids[role] = services.newId();
    steps.push({ role, def, t: tt, id: ids[role] });
  }

  // Every check of every record before anything is written (or an auto-number drawn).
  for (const step of steps) {
    if (step.existing) continue;
    const choice = request[step.role];
    try {
      const given = authorizeWrite(step.t.object, step.t.access, typeof choice === 'object' && choice ? (choice.values ?? {}) : {}, null) as Record<string, unknown>;
      const values = { ...startingValues(services, step.t, conversion, step.def, record, ids), ...given };
      step.pending = await guarded(step.t, () => checkCreate({ ...saveContext(services, user, step.t), recordId: step.id }, values));
    } catch (error) {
      if (!(error instanceof EngineError) || error.code !== 'validation.failed') throw error;
      problems.push(...under(step.role, error.details, step.def.object));
    }
  }
  const marks: Record<string, unknown> = { [conversion.status.field]: conversion.status.value };
  if (conversion.convertedAt) {
    const stamp = services.now().toISOString();
    marks[conversion.convertedAt] = t.object.fields.get(conversion.convertedAt)?.def.type === 'date' ? stamp.slice(0, 10) : stamp;
  }
  for (const step of steps) marks[step.def.link] = step.id;
  let sourcePlan: WritePlan | null = null;
  try {
    sourcePlan = await guarded(t, () => checkUpdate(saveContext(services, user, t), record, marks, record.version));
  } catch (error) {
    if (!(error instanceof EngineError) || error.code !== 'validation.failed') throw error;
    problems.push(...under('source', error.details, t.object.name));
  }
  if (problems.length) throw new EngineError('validation.failed', `The ${t.object.name} record cannot be converted; nothing was written`, problems);

  const created: WritePlan[] = [];
  for (const step of steps) if (step.pending) created.push(await step.pending.finish());
  const plans = mergeRollups([...created.map((p) => noted(p, { name: conversion.name, from: { object: t.object.name, id: record.id } })), noted(sourcePlan!, { name: conversion.name, records: { ...ids } })]);
  try {
    await services.records.commitMany(user.tenantId, plans);
  } catch (error) {
    // Converted meanwhile by someone else: say so, rather than that the version moved.
    if (error instanceof EngineError && error.code === 'record.versionConflict') {
      const now = await services.records.get(user.tenantId, t.object.name, id);
      if (now && isConverted(conversion, now)) throw convertedError(t.object.name, now, conversion);
    }
    throw error;
  }
  for (const job of plans[0]!.rollupRecompute) await recomputeRollup(services, user.tenantId, t.bundle, job);

  const shownAs = async (role: ConversionTarget): Promise<ApiRecord | null> => {
    const step = steps.find((s) => s.role === role);
    if (!step) return null;
    const stored = step.existing ?? created.find((p) => p.id === step.id)!.record!;
    return showOne(services, user, step.t, stored);
  };
  return {
    source: await showOne(services, user, t, sourcePlan!.record!),
    account: (await shownAs('account'))!,
    contact: (await shownAs('contact'))!,
    opportunity: await shownAs('opportunity'),
    created: { account: !request.account || typeof request.account === 'object', contact: !request.contact || typeof request.contact === 'object', opportunity: steps.some((s) => s.role === 'opportunity') },
  };
}

/** The conversion in a write's history entry: on the source, what it became; on each new record, where it came from. */
function noted(plan: WritePlan, conversion: NonNullable<NonNullable<WritePlan['history']>['conversion']>): WritePlan {
  return plan.history ? { ...plan, history: { ...plan.history, conversion } } : plan;
}
