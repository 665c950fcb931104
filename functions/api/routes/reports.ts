import type { AuthedRequest, Route } from '../http';
import { json } from '../http';
import { getDashboard, listDashboards, listReports, runReport } from '../operations/reports';

const param = (req: AuthedRequest, name: string) => req.params[name] ?? '';

/** Reports and dashboards (records group): metadata-defined grouped aggregates, run as the caller. */
export const reportRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/reports',
    group: 'records',
    auth: true,
    summary: 'Reports on objects you may read, each saying whether you may run it',
    handle: async (req) => json(200, await listReports(req.services, req.user)),
  },
  {
    method: 'GET',
    path: '/api/reports/{name}/run',
    group: 'records',
    auth: true,
    summary: "Run a report with your permissions, optionally with extra filter[…]: its groups, counts and measures",
    handle: async (req) => json(200, await runReport(req.services, req.user, param(req, 'name'), req.query)),
  },
  {
    method: 'GET',
    path: '/api/dashboards',
    group: 'records',
    auth: true,
    summary: 'Dashboards shown to your roles, with the report tiles you may see',
    handle: async (req) => json(200, await listDashboards(req.services, req.user)),
  },
  {
    method: 'GET',
    path: '/api/dashboards/{name}',
    group: 'records',
    auth: true,
    summary: 'A dashboard shown to your roles, with the report tiles you may see',
    handle: async (req) => json(200, await getDashboard(req.services, req.user, param(req, 'name'))),
  },
];
