import type { AuthedRequest, Route } from '../http';
import { etag, ifMatchVersion, json, noContent } from '../http';
import { markNotificationRead, myNotifications, runsOfRecord } from '../operations/automation';
import { reassignRecord, takeRecord } from '../operations/records';

const record = '/api/objects/{object}/records/{id}';
const param = (req: AuthedRequest, name: string) => req.params[name] ?? '';

/** Automation as staff meet it (records group): reassign, take from a queue, why a rule ran, notifications. */
export const automationRoutes: Route[] = [
  {
    method: 'POST',
    path: `${record}/reassign`,
    group: 'records',
    auth: true,
    summary: "Run the object's assignment rules on the record now (If-Match: the record version)",
    handle: async (req) => {
      const saved = await reassignRecord(req.services, req.user, param(req, 'object'), param(req, 'id'), ifMatchVersion(req.headers));
      return json(200, saved, { etag: etag(saved.version) });
    },
  },
  {
    method: 'POST',
    path: `${record}/take`,
    group: 'records',
    auth: true,
    summary: 'Take a record waiting in a queue you are a member of (If-Match: the record version)',
    handle: async (req) => {
      const saved = await takeRecord(req.services, req.user, param(req, 'object'), param(req, 'id'), ifMatchVersion(req.headers));
      return json(200, saved, { etag: etag(saved.version) });
    },
  },
  {
    method: 'GET',
    path: `${record}/runs`,
    group: 'records',
    auth: true,
    summary: 'Rule runs on the record, newest first: which rule, why, what each action did',
    handle: async (req) => json(200, await runsOfRecord(req.services, req.user, param(req, 'object'), param(req, 'id'), req.query.cursor ?? null)),
  },
  {
    method: 'GET',
    path: '/api/notifications',
    group: 'records',
    auth: true,
    summary: 'Your in-app notifications, newest first',
    handle: async (req) => json(200, await myNotifications(req.services, req.user, req.query.cursor ?? null)),
  },
  {
    method: 'POST',
    path: '/api/notifications/{id}/read',
    group: 'records',
    auth: true,
    summary: 'Mark one of your notifications read',
    handle: async (req) => {
      await markNotificationRead(req.services, req.user, param(req, 'id'));
      return noContent();
    },
  },
];
