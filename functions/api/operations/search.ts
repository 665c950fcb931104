import { EngineError } from '../../engine/errors';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { callerAccess } from './adminAccess';
import { currentBundle } from './currentBundle';
import { listRecords } from './records';
import type { ApiRecord } from './records';

/** Objects searched per request and hits per object, at most. */
export const MAX_SEARCH_OBJECTS = 20;
export const MAX_SEARCH_HITS = 20;

/**
 * Name-prefix search: for every object the caller may read whose name field is indexed,
 * the records whose name starts with `q` (case-insensitive), through that index and the
 * caller's scope. Objects whose name field has no index are named in `unsearchable` rather
 * than read in full.
 */
export async function searchByName(services: Services, user: UserContext, query: Readonly<Record<string, string | undefined>>) {
  const q = (query.q ?? '').trim();
  const limit = query.limit === undefined ? 5 : Number(query.limit);
  const problems = [
    ...(q.length >= 1 && q.length <= 100 ? [] : [{ path: '/q', code: 'length', message: 'q needs 1 to 100 characters' }]),
    ...(Number.isInteger(limit) && limit >= 1 && limit <= MAX_SEARCH_HITS ? [] : [{ path: '/limit', code: 'range', message: `limit is 1 to ${MAX_SEARCH_HITS}` }]),
  ];
  if (problems.length) throw new EngineError('query.invalid', 'The search is not valid', problems);
  const bundle = await currentBundle(services, user.tenantId);
  const access = await callerAccess(services, user);
  const wanted = query.objects ? query.objects.split(',') : bundle.bundle.objects.map((o) => o.name);
  const readable = wanted.filter((name) => bundle.hasObject(name) && access.object(name).can.read).slice(0, MAX_SEARCH_OBJECTS);
  const results: Array<{ object: string; nameField: string; items: ApiRecord[] }> = [];
  const unsearchable: string[] = [];
  await Promise.all(
    readable.map(async (name) => {
      const object = bundle.object(name);
      const nameField = object.def.nameField;
      const served = object.indexes.some((i) => i.equals.length === 0 && i.sort?.name === nameField);
      if (!served || access.object(name).fields.get(nameField)?.value === 'hidden') {
        unsearchable.push(name);
        return;
      }
      const page = await listRecords(services, user, name, { [`filter[${nameField}][startsWith]`]: q, limit: String(limit) });
      if (page.records.length) results.push({ object: name, nameField, items: page.records });
    }),
  );
  results.sort((a, b) => wanted.indexOf(a.object) - wanted.indexOf(b.object));
  return { q, results, unsearchable: unsearchable.sort() };
}
