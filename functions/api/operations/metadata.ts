import { compileBundle } from '../../engine/compile/compileBundle';
import { EngineError } from '../../engine/errors';
import { diffMetadata } from '../../engine/metadata/diffMetadata';
import type { MetadataChange } from '../../engine/metadata/diffMetadata';
import { assignSlots } from '../../engine/metadata/indexes';
import { validateMetadata } from '../../engine/metadata/validateMetadata';
import { ImpactReport, impactChecks } from '../../engine/metadata/impact';
import type { FieldDef, MetadataBundle, ObjectDef } from '../../engine/metadata/types';
import { API_NAME } from '../../engine/metadata/types';
import { RECORD_TYPE_FIELD } from '../../engine/metadata/relationships';
import { fieldType } from '../../engine/fields';
import { purgeFieldValues } from '../../store/purge';
import { keys, slotSpec } from '../../store/keys';
import type { Problem } from '../../engine/errors';
import { backfillIndexSlots } from '../../store/backfill';
import { DuplicateStore } from '../../store/duplicateStore';
import { compileDuplicateRules } from '../../engine/duplicates/duplicateRules';
import { migrationChanges, migrationProblems } from '../../engine/metadata/migrations';
import { applyMigrations, changedFormulas, migrationPlan, recomputeFormulas, referenceProblems } from './migrations';
import type { Draft, StoredVersion, VersionInfo } from '../../store/metadataStore';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { forgetHead, headVersion } from './currentBundle';
import { backfillRollups, changedRollups } from './rollupRecompute';

const EMPTY: MetadataBundle = { objects: [] };

export interface DraftView {
  readonly bundle: MetadataBundle;
  readonly baseVersion: number;
  /** 0 when there is no draft yet (the bundle is then the published head). */
  readonly revision: number;
  readonly exists: boolean;
}

async function published(services: Services, tenant: string): Promise<StoredVersion | null> {
  const head = await services.metadata.head(tenant);
  return head === 0 ? null : services.metadata.version(tenant, head);
}

export async function getPublished(services: Services, user: UserContext, version?: number): Promise<StoredVersion> {
  const stored = version ? await services.metadata.version(user.tenantId, version) : await published(services, user.tenantId);
  if (!stored) throw new EngineError('metadata.notFound', version ? `There is no metadata version ${version}` : 'Nothing has been published yet', [], { version: version ?? 0 });
  return stored;
}

export async function getDraft(services: Services, user: UserContext): Promise<DraftView> {
  const draft = await services.metadata.draft(user.tenantId);
  if (draft) return { bundle: draft.bundle, baseVersion: draft.baseVersion, revision: draft.revision, exists: true };
  const head = await published(services, user.tenantId);
  return { bundle: head?.bundle ?? EMPTY, baseVersion: head?.version ?? 0, revision: 0, exists: false };
}

/**
 * Applies a change to the draft (creating it from the head when there is none) under
 * optimistic locking on the draft's revision. `expectedRevision` comes from If-Match;
 * without it the change applies to the revision just read.
 */
async function changeDraft(services: Services, user: UserContext, expectedRevision: number | undefined, change: (bundle: MetadataBundle) => MetadataBundle): Promise<DraftView> {
  const current = await getDraft(services, user);
  if (expectedRevision !== undefined && expectedRevision !== current.revision) {
    throw new EngineError('metadata.conflict', `The draft is at revision ${current.revision}, not ${expectedRevision}`, [], { currentRevision: current.revision });
  }
  const bundle = change(structuredClone(current.bundle));
  const revision = await services.metadata.saveDraft(user.tenantId, bundle, current.baseVersion, current.revision, user.userId);
  return { bundle, baseVersion: current.baseVersion, revision, exists: true };
}

/** Drafts may be incomplete, but must at least be a bundle so they can be edited and validated. */
function assertBundleShape(input: unknown): MetadataBundle {
  if (typeof input !== 'object' || input === null || !Array.isArray((input as MetadataBundle).objects)) {
    throw new EngineError('metadata.invalid', 'A metadata bundle is an object with an "objects" list', [{ path: '/objects', code: 'type', message: 'must be array' }]);
  }
  return input as MetadataBundle;
}

export const replaceDraft = (services: Services, user: UserContext, input: unknown, expectedRevision?: number) => {
  const bundle = assertBundleShape(input);
  return changeDraft(services, user, expectedRevision, () => bundle);
};

export function putDraftObject(services: Services, user: UserContext, name: string, input: unknown, expectedRevision?: number): Promise<DraftView> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new EngineError('metadata.invalid', 'An object definition is a JSON object', [{ path: '', code: 'type', message: 'must be object' }]);
  }
  const object = { ...(input as Record<string, unknown>), name } as unknown as ObjectDef;
  if ((input as { name?: unknown }).name !== undefined && (input as { name?: unknown }).name !== name) {
    throw new EngineError('metadata.invalid', 'The object name in the body differs from the one in the path', [{ path: '/name', code: 'const', message: `must be "${name}"` }]);
  }
  return changeDraft(services, user, expectedRevision, (bundle) => {
    const i = bundle.objects.findIndex((o) => o.name === name);
    if (i >= 0) bundle.objects[i] = object;
    else bundle.objects.push(object);
    return bundle;
  });
}

export function deleteDraftObject(services: Services, user: UserContext, name: string, expectedRevision?: number): Promise<DraftView> {
  return changeDraft(services, user, expectedRevision, (bundle) => {
    if (!bundle.objects.some((o) => o.name === name)) throw new EngineError('object.notFound', `The draft has no object "${name}"`, [], { object: name });
    return { ...bundle, objects: bundle.objects.filter((o) => o.name !== name) };
  });
}

export const discardDraft = (services: Services, user: UserContext) => services.metadata.discardDraft(user.tenantId);

export async function validateDraft(services: Services, user: UserContext): Promise<{ valid: boolean; problems: Problem[]; revision: number }> {
  const draft = await getDraft(services, user);
  const problems = validateMetadata(draft.bundle);
  return { valid: problems.length === 0, problems, revision: draft.revision };
}

export interface PublishResult {
  readonly version: number;
  readonly changes: MetadataChange[];
  /** Index slots rebuilt from existing records, with the number of records written. */
  readonly rebuiltIndexes: Array<{ object: string; index: string; records: number }>;
  /** Records each migration changed, by `object.field` (only when the publish ran migrations). */
  readonly migrated?: Record<string, number>;
  /** Roll-ups new or redefined in this version, computed from existing children: parents written, by `object.field`. */
  readonly rolledUp?: Record<string, number>;
  /** Stored formulas new or redefined in this version, computed for existing records: records changed, by `object.field`. */
  readonly recomputed?: Record<string, number>;
}

/**
 * Validates and publishes the draft as the next version, atomically with moving the head,
 * then fills any new index from existing records. Invalid metadata publishes nothing.
 */
export async function publishDraft(services: Services, user: UserContext, note?: string, migrations?: unknown): Promise<PublishResult> {
  const draft = await services.metadata.draft(user.tenantId);
  if (!draft) throw new EngineError('metadata.notFound', 'There is no draft to publish');
  return publishBundle(services, user, draft.bundle, { kind: 'publish', base: draft.baseVersion, ...(note ? { note } : {}), draft, migrations });
}

/** Publishes an earlier version's content as a new version. Record data is never touched, so nothing is lost. */
export async function rollback(services: Services, user: UserContext, toVersion: number, note?: string, migrations?: unknown): Promise<PublishResult> {
  const target = await services.metadata.version(user.tenantId, toVersion);
  if (!target) throw new EngineError('metadata.notFound', `There is no metadata version ${toVersion}`, [], { version: toVersion });
  const base = await services.metadata.head(user.tenantId);
  return publishBundle(services, user, target.bundle, { kind: 'rollback', base, rolledBackTo: toVersion, ...(note ? { note } : {}), migrations });
}

async function publishBundle(
  services: Services,
  user: UserContext,
  bundle: MetadataBundle,
  how: { kind: VersionInfo['kind']; base: number; note?: string; rolledBackTo?: number; draft?: Draft; migrations?: unknown },
): Promise<PublishResult> {
  const problems = validateMetadata(bundle);
  if (problems.length > 0) throw new EngineError('metadata.invalid', `The metadata has ${problems.length} problem(s); nothing was published`, problems);
  const { migrations, problems: migrationShape } = migrationProblems(how.migrations, bundle);
  if (migrationShape.length > 0) throw new EngineError('metadata.invalid', 'The migrations are not valid; nothing was published', migrationShape);
  const head = await services.metadata.head(user.tenantId);
  if (head !== how.base) {
    throw new EngineError('metadata.conflict', `The draft was based on version ${how.base}, but version ${head} has been published since; rebase the draft`, [], { base: how.base, head });
  }
  const previous = head === 0 ? null : await services.metadata.version(user.tenantId, head);
  const { storage, rebuild } = assignSlots(bundle, previous?.bundle ?? null, previous?.storage ?? null);
  // The version being published, compiled: migrations are planned under it.
  const next = compileBundle(user.tenantId, head + 1, bundle, storage);
  const unreachable = await referenceProblems(services, user.tenantId, next, migrations);
  if (unreachable.length > 0) throw new EngineError('metadata.invalid', 'The migrations are not valid; nothing was published', unreachable);
  // Law: a publish that would break existing data is refused, with counts and sample records —
  // judged on the records as the requested migrations would leave them, each migration dry-run.
  const report = new ImpactReport(impactChecks(previous?.bundle ?? null, bundle));
  const failed = new Map<number, { count: number; sample: string[]; problem: string }>();
  for (const object of new Set([...report.checks.map((c) => c.object), ...migrations.map((m) => m.object)])) {
    await services.records.forEachRecord(user.tenantId, object, (r) => {
      let values = r.values;
      try {
        const plan = migrations.length > 0 ? migrationPlan(services, user, next, migrations, r) : null;
        if (plan) values = plan.record!.values;
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        // Charged to the migration whose field the refusal names, else to the first that changed the record.
        const applies = migrations.map((m) => m.object === object && Object.keys(migrationChanges([m], object, r.values)).length > 0);
        const named = migrations.findIndex((m, k) => applies[k] && error.details.some((p) => p.path === `/${m.field}`));
        const i = named >= 0 ? named : applies.indexOf(true);
        const entry = failed.get(i) ?? { count: 0, sample: [], problem: error.details[0]?.message ?? error.message };
        entry.count++;
        if (entry.sample.length < 5) entry.sample.push(r.id);
        failed.set(i, entry);
      }
      report.add(object, r.id, values);
    });
  }
  const impact = [
    ...report.problems(),
    ...[...failed].map(([i, f]) => ({ path: i >= 0 ? `/migrations/${i}` : '/migrations', code: 'migrationFails', message: `${f.count} record(s) would refuse the migration: ${f.problem}`, params: { count: f.count, sample: f.sample } })),
  ];
  if (impact.length > 0) throw new EngineError('metadata.invalid', `The change would break ${impact.length} kind(s) of existing data; nothing was published`, impact);
  // Data first, then the head: an interrupted migration leaves values that fit the new version
  // and the old one keeps working; publishing again finishes it (migrations are idempotent).
  const migrated = migrations.length > 0 ? await applyMigrations(services, user, next, migrations) : undefined;
  const version = await services.metadata.publish(user.tenantId, {
    base: head,
    bundle,
    storage,
    userId: user.userId,
    kind: how.kind,
    ...(how.note ? { note: how.note } : {}),
    ...(how.rolledBackTo ? { rolledBackTo: how.rolledBackTo } : {}),
    ...(how.draft ? { draftRevision: how.draft.revision } : {}),
  });
  forgetHead(user.tenantId);
  // Records written under the previous version while migrating (within its cache TTL) are migrated too.
  if (migrated) for (const [key, n] of Object.entries(await applyMigrations(services, user, next, migrations))) migrated[key] = (migrated[key] ?? 0) + n;
  // A field that has just become unique gets guards for the values records already have.
  for (const g of report.guards()) await services.records.putGuard(user.tenantId, g.object, g.field, g.key, g.id);
  const changes = diffMetadata(previous?.bundle ?? EMPTY, bundle);
  await services.audit.record(user.tenantId, {
    id: services.newId(),
    at: services.now().toISOString(),
    actor: user.userId,
    action: how.kind === 'rollback' ? 'metadata.rollback' : 'metadata.publish',
    target: `metadata@${version}`,
    before: { version: head },
    after: { version, ...(how.rolledBackTo ? { rolledBackTo: how.rolledBackTo } : {}), ...(how.note ? { note: how.note } : {}), changes },
  });

  // TODO(#4): run this as a resumable job with index readiness, so a large object's new index is not
  // served half-built and a container still on the previous version cannot miss entries.
  const rebuiltIndexes: PublishResult['rebuiltIndexes'] = [];
  const byObject = new Map<string, Array<{ index: string; slot: number }>>();
  for (const { object, index } of rebuild) {
    const list = byObject.get(object) ?? [];
    list.push({ index, slot: storage.indexSlots[object]![index]! });
    byObject.set(object, list);
  }
  for (const [object, indexes] of byObject) {
    const records = await backfillIndexSlots(services.doc, services.tableName, user.tenantId, next.object(object), new Set(indexes.map((x) => x.slot)));
    for (const { index } of indexes) rebuiltIndexes.push({ object, index, records });
  }
  // Duplicate rules new in this version (or changed: a new hash) get the match keys of the records that exist.
  const duplicates = new DuplicateStore(services.doc, services.tableName);
  for (const def of bundle.objects) {
    if (!(bundle.duplicateRules ?? []).some((r) => r.object === def.name)) continue;
    const before = new Set(previous ? compileDuplicateRules(previous.bundle, def.name).map((r) => r.id) : []);
    const fresh = next.object(def.name).duplicateRules.filter((r) => !before.has(r.id));
    if (fresh.length) await duplicates.backfill(user.tenantId, next.object(def.name), fresh);
  }
  // Roll-ups new or redefined (a rollback re-adding one included) are computed from the children that exist, once
  // every container writes with this version (children written before then carry no delta for them).
  // Stored formulas new or redefined likewise get their values on the records that exist.
  const rollups = changedRollups(previous?.bundle ?? null, bundle);
  const formulas = changedFormulas(previous?.bundle ?? null, next);
  if (rollups.length || formulas.size) await new Promise((resolve) => setTimeout(resolve, services.metadataTtlMs));
  const rolledUp = rollups.length ? await backfillRollups(services, user.tenantId, next, rollups) : undefined;
  const recomputed = formulas.size ? await recomputeFormulas(services, user, next, formulas) : undefined;
  return { version, changes, rebuiltIndexes, ...(migrated ? { migrated } : {}), ...(rolledUp ? { rolledUp } : {}), ...(recomputed ? { recomputed } : {}) };
}

export const listVersions = (services: Services, user: UserContext, limit: number, before?: number) => services.metadata.versions(user.tenantId, limit, before);

/** Differences between two versions; either side may be `draft`, and `from` defaults to the version before `to`. */
export async function diffVersions(services: Services, user: UserContext, from: string | undefined, to: string | undefined): Promise<{ from: number | 'draft'; to: number | 'draft'; changes: MetadataChange[] }> {
  const head = await headVersion(services, user.tenantId);
  const parse = (raw: string | undefined, fallback: number | 'draft', path: string): number | 'draft' => {
    if (raw === undefined) return fallback;
    if (raw === 'draft' || raw === 'head') return raw === 'head' ? head : 'draft';
    if (!/^\d{1,9}$/.test(raw)) throw new EngineError('request.invalid', `${path} must be a version number, "head" or "draft"`, [{ path: `/${path}`, code: 'type', message: 'must be a version number, head or draft' }]);
    return Number(raw);
  };
  const toV = parse(to, head, 'to');
  const fromV = parse(from, typeof toV === 'number' ? Math.max(toV - 1, 0) : head, 'from');
  const load = async (v: number | 'draft'): Promise<MetadataBundle> => {
    if (v === 'draft') return (await getDraft(services, user)).bundle;
    if (v === 0) return EMPTY;
    return (await getPublished(services, user, v)).bundle;
  };
  return { from: fromV, to: toV, changes: diffMetadata(await load(fromV), await load(toV)) };
}

/** Versions searched, newest first, for a removed field's last definition (its guards and index). */
const PURGE_LOOKBACK = 200;

/**
 * Erases what a removed field left: its values on every record of the object, its unique
 * guards, its index entries and its history entries. Removing a field only hides it (so a
 * rollback brings it back with its data); this is the explicit, irreversible step after.
 */
export async function purgeField(services: Services, user: UserContext, object: unknown, field: unknown): Promise<{ object: string; field: string; records: number; historyEntries: number }> {
  const problems: Problem[] = [];
  if (typeof object !== 'string' || !API_NAME.test(object)) problems.push({ path: '/object', code: 'type', message: 'object is an API name' });
  if (typeof field !== 'string' || !API_NAME.test(field)) problems.push({ path: '/field', code: 'type', message: 'field is an API name' });
  if (problems.length) throw new EngineError('request.invalid', 'Name the object and the removed field', problems);
  const [o, f] = [object as string, field as string];
  const head = await published(services, user.tenantId);
  const current = head?.bundle.objects.find((x) => x.name === o);
  if (!head || !current) throw new EngineError('object.notFound', `There is no object "${o}"`, [], { object: o });
  if (current.fields.some((x) => x.name === f) || ((current.recordTypes ?? []).length > 0 && f === RECORD_TYPE_FIELD)) {
    throw new EngineError('metadata.invalid', `${o}.${f} is a field of the published metadata; remove it and publish first`, [
      { path: '/field', code: 'fieldInUse', message: 'purge erases what a removed field left; this field is still defined', params: { object: o, field: f } },
    ]);
  }
  let old: FieldDef | undefined;
  let oldSlot: number | undefined;
  for (let v = head.version - 1; v >= Math.max(1, head.version - PURGE_LOOKBACK) && !old; v--) {
    const stored = await services.metadata.version(user.tenantId, v);
    old = stored?.bundle.objects.find((x) => x.name === o)?.fields.find((x) => x.name === f);
    if (old) oldSlot = stored!.storage.indexSlots[o]?.[f];
  }
  if (!old) throw new EngineError('metadata.invalid', `No recent version of ${o} had a field ${f}`, [{ path: '/field', code: 'unknownField', message: 'nothing to purge', params: { object: o, field: f } }]);
  const def = old;
  const type = fieldType(def);
  // The removed field's own index (`indexed: true` is an index named after the field), unless a current index took its name.
  const ownIndex = def.indexed && oldSlot !== undefined && head.storage.indexSlots[o]?.[f] === undefined;
  const result = await purgeFieldValues(services.doc, services.tableName, user.tenantId, o, f, {
    ...(def.unique && type.uniqueKey ? { uniqueKey: (v: unknown) => type.uniqueKey!(v, def) } : {}),
    ...(ownIndex ? { slots: [{ ...slotSpec(oldSlot!), partition: keys.slotPartition(user.tenantId, o, f) }] } : {}),
  });
  await services.audit.record(user.tenantId, {
    id: services.newId(),
    at: services.now().toISOString(),
    actor: user.userId,
    action: 'metadata.purge',
    target: `${o}.${f}`,
    after: result,
  });
  return { object: o, field: f, ...result };
}
