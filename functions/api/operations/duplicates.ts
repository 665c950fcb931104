import { EngineError } from '../../engine/errors';
import { compareRecords } from '../../engine/duplicates/duplicateRules';
import { viewRecord } from '../../engine/permissions/recordView';
import type { StoredRecord } from '../../engine/records/types';
import { DuplicateStore } from '../../store/duplicateStore';
import type { KeyEntry } from '../../store/duplicateStore';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { currentBundle } from './currentBundle';
import { reachableOwners } from './directory';

/*
 * Duplicate groups on demand: a rule's match keys are read in key order from the by-object
 * index (records sharing a key are adjacent), a bounded number per request, and each group
 * is checked record against record (a fuzzy rule's shared key is only a candidate). Groups
 * hold only records the caller may read; the keys themselves (normalised values, perhaps of
 * fields hidden from the caller) are never answered.
 */

/** Match-key items read per request: bounds the work whatever the data; a cursor continues. */
const KEYS_PER_REQUEST = 500;

export interface DuplicateGroup {
  readonly records: Array<Record<string, unknown> & { id: string }>;
  /** The lowest similarity between members (1 for exact rules). */
  readonly score: number;
}

export async function findDuplicateGroups(services: Services, user: UserContext, objectName: string, query: Readonly<Record<string, string | undefined>>) {
  const bundle = await currentBundle(services, user.tenantId);
  const access = bundle.hasObject(objectName) ? bundle.access(user.roles).object(objectName) : null;
  if (!access?.can.read) throw new EngineError('object.notFound', `There is no object "${objectName}"`, [], { object: objectName });
  const object = bundle.object(objectName);
  const unknown = Object.keys(query).filter((k) => !['rule', 'limit', 'cursor'].includes(k));
  if (unknown.length) throw new EngineError('query.invalid', 'Unknown parameters', unknown.map((k) => ({ path: `/${k}`, code: 'unknownParameter', message: `unknown parameter "${k}"` })));
  const rule = query.rule === undefined ? object.duplicateRules[0] : object.duplicateRules.find((r) => r.name === query.rule);
  if (!rule) throw new EngineError('query.invalid', query.rule === undefined ? `${objectName} has no active duplicate rule` : `${objectName} has no active duplicate rule "${query.rule}"`, [{ path: '/rule', code: 'unknownRule', message: 'not an active duplicate rule of this object', params: { rules: object.duplicateRules.map((r) => r.name) } }]);
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new EngineError('query.invalid', 'limit must be an integer from 1 to 100', [{ path: '/limit', code: 'range', message: 'must be 1 to 100', params: { max: 100 } }]);

  const store = new DuplicateStore(services.doc, services.tableName);
  const page = await store.keyPage(user.tenantId, objectName, rule.id, query.cursor ?? null, KEYS_PER_REQUEST);
  // Group adjacent entries by key; the last group may continue on the next page, so it waits for it (unless it is the whole page).
  const runs: KeyEntry[][] = [];
  for (const entry of page.entries) {
    const last = runs[runs.length - 1];
    if (last && last[0]!.key === entry.key) last.push(entry);
    else runs.push([entry]);
  }
  let nextCursor = page.nextCursor;
  if (page.nextCursor && runs.length > 1) {
    runs.pop();
    const before = runs[runs.length - 1]!;
    nextCursor = store.cursorAfter(user.tenantId, objectName, rule.id, before[before.length - 1]!);
  }
  const candidates = runs.filter((r) => r.length > 1);
  const records = await services.records.getMany(user.tenantId, objectName, [...new Set(candidates.flat().map((e) => e.recordId))]);
  const owners = await reachableOwners(services, bundle, user, access);
  const visible = (r: StoredRecord | undefined): r is StoredRecord => r !== undefined && (owners === null || owners.includes(r.owner));
  const fieldOf = (name: string) => object.fields.get(name)?.def;
  const seen = new Set<string>();
  const groups: DuplicateGroup[] = [];
  let lastUsed = -1;
  for (const [i, run] of candidates.entries()) {
    if (groups.length >= limit) break;
    lastUsed = i;
    const members = run.map((e) => records.get(e.recordId)).filter(visible);
    // Connected by matching pairs: a fuzzy key is shared by records that may not be alike.
    const clusters: Array<{ records: StoredRecord[]; score: number }> = [];
    for (const r of members) {
      let home: { records: StoredRecord[]; score: number } | undefined;
      for (const c of clusters) {
        const scores = c.records.map((m) => compareRecords(rule, fieldOf, r.values, m.values)).filter((s): s is number => s !== null);
        if (scores.length) {
          home = c;
          c.score = Math.min(c.score, ...scores);
          break;
        }
      }
      if (home) home.records.push(r);
      else clusters.push({ records: [r], score: 1 });
    }
    for (const c of clusters) {
      if (c.records.length < 2) continue;
      const id = c.records.map((r) => r.id).sort().join(',');
      if (seen.has(id)) continue;
      seen.add(id);
      groups.push({ records: c.records.map((r) => viewRecord(object, access, r) as Record<string, unknown> & { id: string }), score: c.score });
    }
  }
  // Stopped at the limit: continue after the last group answered.
  if (lastUsed >= 0 && lastUsed < candidates.length - 1) {
    const run = candidates[lastUsed]!;
    nextCursor = store.cursorAfter(user.tenantId, objectName, rule.id, run[run.length - 1]!);
  }
  return { rule: rule.name, groups, nextCursor };
}
