import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EngineError } from '../engine/errors';
import type { Problem } from '../engine/errors';
import type { WritePlan } from '../engine/records/types';
import { keys } from './keys';
import { RecordStore } from './recordStore';

/**
 * A record store that plans without committing: what an import's dry run saves through. Every
 * read is real; a commit becomes the reads that stand for its transaction's conditions — the
 * record's version (or that a new id is free), each unique value's guard, each record, user
 * or team the write points to — and answers with the same errors a cancelled transaction
 * would. Nothing is written: counters are not drawn (a preview numbers from `start`), roll-up
 * extremes and guards are not set. The last plan "committed" is kept, so a dry run can say
 * which fields would change.
 */
export class DryRunRecordStore extends RecordStore {
  lastPlan: WritePlan | null = null;
  /** Records whose unique values the planned writes may take over (a merge: the records merged away). */
  readonly releasing = new Set<string>();

  constructor(
    private readonly reader: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    super(reader, table);
  }

  override async commit(tenant: string, plan: WritePlan): Promise<WritePlan> {
    await this.check(tenant, plan);
    this.lastPlan = plan;
    return plan;
  }

  override async commitMany(tenant: string, plans: readonly WritePlan[]): Promise<WritePlan[]> {
    for (const plan of plans) await this.check(tenant, plan);
    this.lastPlan = plans[0] ?? null;
    return [...plans];
  }

  override async setRollupTotals(): Promise<boolean> {
    return true;
  }

  override async putGuard(): Promise<void> {}

  override async nextCounter(_tenant: string, _object: string, _field: string, start: number): Promise<number> {
    return start;
  }

  private async item(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    return (await this.reader.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }))).Item;
  }

  private async check(tenant: string, plan: WritePlan): Promise<void> {
    const stored = await this.item(keys.record(tenant, plan.object, plan.id));
    if (plan.expectedVersion === null && stored) throw new EngineError('request.invalid', `record ${plan.id} exists already`, [{ path: '', code: 'exists', message: 'this row was imported already' }]);
    if (plan.expectedVersion !== null) {
      if (!stored) throw new EngineError('record.notFound', `There is no ${plan.object} record ${plan.id}`, [], { object: plan.object, id: plan.id });
      if (Number(stored.version) !== plan.expectedVersion) throw new EngineError('record.versionConflict', `The record is at version ${String(stored.version)}, not ${plan.expectedVersion}`, [], { currentVersion: Number(stored.version) });
    }
    const duplicates: Problem[] = [];
    for (const guard of plan.guardsToAdd) {
      const held = await this.item(keys.guard(tenant, plan.object, guard.field, guard.key));
      if (held && held.recordId !== plan.id && !this.releasing.has(String(held.recordId))) duplicates.push({ path: `/${guard.field}`, code: 'unique', message: `another ${plan.object} record already has this ${guard.field}`, params: { field: guard.field } });
    }
    if (duplicates.length) throw new EngineError('record.duplicate', 'A unique value is already used', duplicates);
    const missing: Problem[] = [];
    for (const ref of plan.references) {
      const key = ref.kind === 'user' ? keys.user(tenant, ref.id) : ref.kind === 'team' ? keys.team(tenant, ref.id) : keys.record(tenant, ref.object!, ref.id);
      if (!(await this.item(key))) missing.push({ path: ref.path, code: 'notFound', message: `${ref.path.slice(1)} refers to a record that does not exist`, params: { field: ref.path.slice(1) } });
    }
    if (missing.length) throw new EngineError('validation.failed', `The ${plan.object} record is not valid`, missing);
  }
}
