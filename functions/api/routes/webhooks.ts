import type { Route } from '../http';
import { json } from '../http';
import { getDelivery, listDeadDeliveries, replayDelivery, rotateSecret, showWebhookSecret } from '../operations/webhooks';

/** Webhook administration, served by the admin function (manageMetadata). */
export const webhookRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/webhooks/{name}/secret',
    group: 'admin',
    auth: true,
    summary: "A webhook's signing secret, made on first use (manageMetadata)",
    handle: async (req) => json(200, await showWebhookSecret(req.services, req.user, req.params.name ?? '')),
  },
  {
    method: 'POST',
    path: '/api/webhooks/{name}/secret/rotate',
    group: 'admin',
    auth: true,
    summary: 'A new signing secret; the old one keeps signing for 24 hours (manageMetadata)',
    handle: async (req) => json(200, await rotateSecret(req.services, req.user, req.params.name ?? '')),
  },
  {
    method: 'GET',
    path: '/api/webhook-deliveries',
    group: 'admin',
    auth: true,
    summary: 'Dead webhook deliveries, newest first, with the last error: ?status=dead&limit=&cursor= (manageMetadata)',
    handle: async (req) => json(200, await listDeadDeliveries(req.services, req.user, req.query)),
  },
  {
    method: 'GET',
    path: '/api/webhook-deliveries/{id}',
    group: 'admin',
    auth: true,
    summary: 'One webhook delivery: status, attempts, last error, payload (manageMetadata)',
    handle: async (req) => json(200, await getDelivery(req.services, req.user, req.params.id ?? '')),
  },
  {
    method: 'POST',
    path: '/api/webhook-deliveries/{id}/replay',
    group: 'admin',
    auth: true,
    summary: 'Put a dead delivery back in the queue, due now (manageMetadata)',
    handle: async (req) => json(202, await replayDelivery(req.services, req.user, req.params.id ?? '')),
  },
];
