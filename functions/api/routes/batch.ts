import type { Route } from '../http';
import { json } from '../http';
import { MAX_BATCH_ITEMS, runBatch } from '../operations/batch';

/** The batch API: served by the records function, whose bundle already holds every write it makes. */
export const batchRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/objects/{object}/batch',
    group: 'records',
    auth: true,
    summary: `Create and change up to ${MAX_BATCH_ITEMS} records in order, each as its single write would, each with its own status`,
    handle: async (req) => json(200, await runBatch(req.services, req.user, req.params.object ?? '', req.body, req.locale)),
  },
];
