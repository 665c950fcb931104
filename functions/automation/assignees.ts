import { EngineError } from '../engine/errors';
import type { AssigneeDef } from '../engine/metadata/types';
import { ConditionSet, factsOf } from '../engine/rules/conditions';
import type { StoredRecord } from '../engine/records/types';
import type { Services } from '../api/services';
import { directory } from '../api/operations/directory';

/*
 * Who an assignment gives a record to. Users come from the tenant's directory (active users
 * only); a queue is a team, owning the record until a member takes it.
 */

export interface Assigned {
  /** A user id, or a team id for a queue. */
  readonly owner: string;
  readonly kind: 'user' | 'team';
}

/** The active members of a role or a team, in a stable order (round-robin turns index it). */
async function members(services: Services, tenant: string, def: { role?: string; team?: string }): Promise<string[]> {
  const dir = await directory(services, tenant);
  const active = new Set(dir.users.filter((u) => u.active).map((u) => u.id));
  let ids: string[] = [];
  if (def.team) ids = [...(dir.teams.find((t) => t.id === def.team || t.name === def.team)?.members ?? [])];
  else if (def.role) ids = dir.users.filter((u) => u.roles.includes(def.role!)).map((u) => u.id);
  return ids.filter((id) => active.has(id)).sort();
}

/**
 * Round-robin turns, drawn whole rounds at a time. The shared counter advances by a multiple of
 * the number of members in one atomic ADD, and this container hands out those turns one by one —
 * so most assignments cost no round trip. A draw starts on a round boundary and is handed out in
 * order, so within a container the rotation is exact (1,000 concurrent creates over 5 members:
 * 200 each), and across concurrently running containers each holds at most one partly used
 * round: a member is at most one assignment behind per container. A container that used up its
 * last draw within a second (an import, a burst) draws twice as many rounds next time, up to
 * MAX_ROUNDS; turns it never hands out are skipped by everyone, which costs no member a turn.
 */
const MAX_ROUNDS = 32;
const rounds = new Map<string, { next: number; end: number; size: number; drawn: number; drawnAt: number; refill?: Promise<void> }>();

async function nextTurn(services: Services, tenant: string, key: string, size: number): Promise<number> {
  const id = `${tenant}#${key}`;
  for (;;) {
    const round = rounds.get(id);
    if (round && round.size === size && round.next <= round.end) return round.next++;
    if (round?.refill) {
      await round.refill;
      continue;
    }
    const now = Date.now();
    const drawn = round && round.size === size && now - round.drawnAt < 1000 ? Math.min(MAX_ROUNDS, round.drawn * 2) : 1;
    const pending = { next: 1, end: 0, size, drawn, drawnAt: now, refill: undefined as Promise<void> | undefined };
    pending.refill = services.automation.nextTurn(tenant, key, size * drawn).then(
      (end) => {
        rounds.set(id, { next: end - size * drawn + 1, end, size, drawn, drawnAt: now });
      },
      (error: unknown) => {
        rounds.delete(id);
        throw error;
      },
    );
    rounds.set(id, pending);
    await pending.refill;
  }
}

/**
 * Resolves an assignee for a record. `turnKey` names the round-robin counter (one per rule
 * entry). Null when nobody can take it (an empty role or team): the caller keeps the owner
 * it had and the run records why.
 */
export async function resolveAssignee(
  services: Services,
  tenant: string,
  assignee: AssigneeDef,
  record: { object: string; owner: string; values: Readonly<Record<string, unknown>> },
  turnKey: string,
): Promise<Assigned | null> {
  switch (assignee.type) {
    case 'user': {
      const dir = await directory(services, tenant);
      const user = dir.users.find((u) => u.id === assignee.user || u.email === assignee.user);
      return user?.active ? { owner: user.id, kind: 'user' } : null;
    }
    case 'queue': {
      const dir = await directory(services, tenant);
      const team = dir.teams.find((t) => t.id === assignee.team || t.name === assignee.team);
      return team ? { owner: team.id, kind: 'team' } : null;
    }
    case 'roundRobin': {
      const ids = await members(services, tenant, assignee);
      if (ids.length === 0) return null;
      const turn = await nextTurn(services, tenant, turnKey, ids.length);
      return { owner: ids[(turn - 1) % ids.length]!, kind: 'user' };
    }
    case 'leastLoaded': {
      const ids = await members(services, tenant, assignee);
      if (ids.length === 0) return null;
      const open = assignee.open ? new ConditionSet([{ conditions: assignee.open, payload: true }]) : null;
      const now = services.now();
      const counts = await Promise.all(
        ids.map(async (id) => {
          const owned: StoredRecord[] = [];
          const all = await services.records.countOwned(tenant, record.object, id, (r) => {
            owned.push(r);
            return true;
          });
          if (!open) return all;
          let n = 0;
          for (const r of owned) if ((await open.matching(factsOf({ values: r.values, now }))).length) n++;
          return n;
        }),
      );
      let best = 0;
      for (let i = 1; i < ids.length; i++) if (counts[i]! < counts[best]!) best = i;
      return { owner: ids[best]!, kind: 'user' };
    }
    case 'ownerManager': {
      const dir = await directory(services, tenant);
      const manager = dir.users.find((u) => u.id === record.owner)?.manager;
      const user = manager ? dir.users.find((u) => u.id === manager) : undefined;
      return user?.active ? { owner: user.id, kind: 'user' } : null;
    }
    default:
      throw new EngineError('internal.error', `unknown assignee ${(assignee as { type: string }).type}`);
  }
}
