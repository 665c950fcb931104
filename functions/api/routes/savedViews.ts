import type { AuthedRequest, Route } from '../http';
import { etag, ifMatchVersion, json, noContent } from '../http';
import { createSavedView, deleteSavedView, listSavedViews, replaceSavedView } from '../operations/savedViews';

const base = '/api/objects/{object}/views';
const param = (req: AuthedRequest, name: string) => req.params[name] ?? '';

/** Saved list views of the staff app (records group): the caller's own, private or shared, and everyone's shared ones. */
export const savedViewRoutes: Route[] = [
  {
    method: 'GET',
    path: base,
    group: 'records',
    auth: true,
    summary: "Your saved list views of the object and everyone's shared ones, without fields hidden from you",
    handle: async (req) => json(200, { items: await listSavedViews(req.services, req.user, param(req, 'object')) }),
  },
  {
    method: 'POST',
    path: base,
    group: 'records',
    auth: true,
    summary: 'Save a list view: name, shared, columns, filters, sort, groupBy (checked as the list API would serve it)',
    handle: async (req) => {
      const view = await createSavedView(req.services, req.user, param(req, 'object'), req.body);
      return json(201, view, { etag: etag(view.version), location: `/api/objects/${param(req, 'object')}/views/${view.id}` });
    },
  },
  {
    method: 'PUT',
    path: `${base}/{id}`,
    group: 'records',
    auth: true,
    summary: 'Replace one of your saved views (If-Match: its version)',
    handle: async (req) => {
      const view = await replaceSavedView(req.services, req.user, param(req, 'object'), param(req, 'id'), ifMatchVersion(req.headers), req.body);
      return json(200, view, { etag: etag(view.version) });
    },
  },
  {
    method: 'DELETE',
    path: `${base}/{id}`,
    group: 'records',
    auth: true,
    summary: 'Delete one of your saved views (If-Match honoured when sent)',
    handle: async (req) => {
      await deleteSavedView(req.services, req.user, param(req, 'object'), param(req, 'id'), ifMatchVersion(req.headers));
      return noContent();
    },
  },
];
