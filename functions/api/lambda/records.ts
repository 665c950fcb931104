import { createHandler } from '../createHandler';
import { recordRoutes } from '../routes/records';
import { batchRoutes } from '../routes/batch';
import { automationRoutes } from '../routes/automation';
import { savedViewRoutes } from '../routes/savedViews';
import { workflowRoutes } from '../routes/workflows';
import { reportRoutes } from '../routes/reports';
import { servicesFromEnv } from '../services';

/** Lambda entry for the records route group. It imports only its own routes, so its bundle holds only what they use. */
export const handler = createHandler([...recordRoutes, ...batchRoutes, ...automationRoutes, ...savedViewRoutes, ...workflowRoutes, ...reportRoutes], servicesFromEnv());
