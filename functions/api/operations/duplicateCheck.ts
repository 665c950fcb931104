import type { CompiledBundle } from '../../engine/compile/compileBundle';
import type { CompiledObject } from '../../engine/compile/compileObject';
import { EngineError, pointer } from '../../engine/errors';
import type { Problem } from '../../engine/errors';
import { compareRecords, matchKeys } from '../../engine/duplicates/duplicateRules';
import type { CompiledDuplicateRule } from '../../engine/duplicates/duplicateRules';
import { viewRecord } from '../../engine/permissions/recordView';
import type { StoredRecord } from '../../engine/records/types';
import { DuplicateStore, MAX_CANDIDATES_PER_KEY } from '../../store/duplicateStore';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { reachableOwners } from './directory';

/*
 * Duplicate rules on save. The record about to be written is compared with the records that
 * share one of its match keys (found by Query on the key's partition, never a Scan); a block
 * rule refuses the write (409) naming the matches the caller may see, a warn rule lets it
 * through and the answer names them. Runs inside the pipeline (save.ts), after validation.
 */

/** A record that looks like a duplicate, as the caller may see it. */
export interface DuplicateMatch {
  readonly rule: string;
  readonly action: 'block' | 'warn';
  readonly id: string;
  /** The match's name field, as the caller may see it (absent when hidden). */
  readonly name?: unknown;
  /** 1 for exact conditions; the name similarity with a fuzzy one. */
  readonly score: number;
}

const fieldLookup = (object: CompiledObject) => (name: string) => object.fields.get(name)?.def;

/** Records matching `values` under one rule (not `selfId`), with their scores, best first. */
export async function matchesOf(services: Services, tenant: string, object: CompiledObject, rule: CompiledDuplicateRule, values: Readonly<Record<string, unknown>>, selfId: string | null): Promise<Array<{ record: StoredRecord; score: number }>> {
  const store = new DuplicateStore(services.doc, services.tableName);
  const holders = await Promise.all(matchKeys(rule, fieldLookup(object), values).map((k) => store.recordsWithKey(tenant, object.name, rule.id, k.key)));
  // A fuzzy name's key held by MAX_CANDIDATES_PER_KEY records or more ("acme", "trad" of "trading") says nothing
  // when the name has a rarer key: the candidates come from the rarer ones.
  const telling = holders.filter((h) => h.length < MAX_CANDIDATES_PER_KEY);
  const ids = new Set<string>();
  for (const held of telling.length > 0 ? telling : holders) for (const id of held) if (id !== selfId) ids.add(id);
  if (ids.size === 0) return [];
  const found = await services.records.getMany(tenant, object.name, [...ids], true);
  const out: Array<{ record: StoredRecord; score: number }> = [];
  for (const record of found.values()) {
    const score = compareRecords(rule, fieldLookup(object), values, record.values);
    if (score !== null) out.push({ record, score });
  }
  return out.sort((a, b) => b.score - a.score || (a.record.id < b.record.id ? -1 : 1));
}

/**
 * Checks a planned record against the object's duplicate rules (on an update, only rules
 * whose fields changed). Throws `record.duplicate` for a block rule the actor does not
 * bypass; returns the warnings otherwise. Only records the actor may read are named: a block
 * still holds when every match is out of their reach.
 */
export async function checkDuplicates(services: Services, actor: UserContext, bundle: CompiledBundle, object: CompiledObject, after: StoredRecord, before: StoredRecord | null): Promise<DuplicateMatch[]> {
  const access = bundle.access(actor.roles).object(object.name);
  let owners: string[] | null | undefined;
  const warnings: DuplicateMatch[] = [];
  for (const rule of object.duplicateRules) {
    if (before && rule.fields.every((f) => JSON.stringify(before.values[f]) === JSON.stringify(after.values[f]))) continue;
    const matches = await matchesOf(services, actor.tenantId, object, rule, after.values, after.id);
    if (matches.length === 0) continue;
    owners ??= await reachableOwners(services, bundle, actor, access);
    const visible = matches
      .filter((m) => access.can.read && (owners === null || owners!.includes(m.record.owner)))
      .map((m): DuplicateMatch => {
        const shown = viewRecord(object, access, m.record);
        return { rule: rule.name, action: rule.action, id: m.record.id, ...(shown[object.def.nameField] !== undefined ? { name: shown[object.def.nameField] } : {}), score: m.score };
      });
    const bypass = (rule.def.bypassRoles ?? []).some((r) => actor.roles.includes(r));
    if (rule.action === 'block' && !bypass) {
      const problems: Problem[] = rule.fields.map((field) => ({
        path: pointer(field),
        code: 'duplicateRule',
        message: `another ${object.name} record matches on ${rule.fields.join(', ')} (duplicate rule ${rule.name})`,
        params: { rule: rule.name, field, matches: visible.map((v) => v.id) },
      }));
      throw new EngineError('record.duplicate', `This ${object.name} record looks like a duplicate of ${visible.length ? visible.map((v) => v.id).join(', ') : 'a record you cannot see'} (rule ${rule.name})`, problems, { rule: rule.name, duplicates: visible });
    }
    warnings.push(...visible);
  }
  return warnings;
}
