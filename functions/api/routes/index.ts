import type { Route, RouteGroup } from '../http';
import { metadataRoutes } from './metadata';
import { recordRoutes } from './records';
import { systemRoutes } from './system';
import { adminRoutes } from './admin';
import { templateRoutes } from './templates';
import { dataRoutes } from './data';
import { webhookRoutes } from './webhooks';
import { apiKeyRoutes } from './apiKeys';
import { batchRoutes } from './batch';
import { openApiRoutes } from './openapi';
import { automationRoutes } from './automation';
import { ruleRoutes } from './rules';
import { savedViewRoutes } from './savedViews';
import { importRoutes } from './imports';
import { workflowRoutes } from './workflows';
import { reportRoutes } from './reports';

/** Every route of the API, as data: the router, the local server, CDK and the OpenAPI document read it. */
export const ROUTES: readonly Route[] = [...systemRoutes, ...metadataRoutes, ...recordRoutes, ...adminRoutes, ...templateRoutes, ...dataRoutes, ...apiKeyRoutes, ...batchRoutes, ...openApiRoutes, ...webhookRoutes, ...automationRoutes, ...ruleRoutes, ...savedViewRoutes, ...workflowRoutes, ...reportRoutes, ...importRoutes];

export const routesOf = (group: RouteGroup): Route[] => ROUTES.filter((r) => r.group === group);
export const ROUTE_GROUPS: readonly RouteGroup[] = [...new Set(ROUTES.map((r) => r.group))];
