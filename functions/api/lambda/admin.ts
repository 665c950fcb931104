import { createHandler } from '../createHandler';
import { adminRoutes } from '../routes/admin';
import { webhookRoutes } from '../routes/webhooks';
import { apiKeyRoutes } from '../routes/apiKeys';
import { ruleRoutes } from '../routes/rules';
import { servicesFromEnv } from '../services';

/** Lambda entry for the admin route group (users, teams, webhook secrets and dead deliveries, API keys, rules and their runs, access explanations, audit). */
export const handler = createHandler([...adminRoutes, ...webhookRoutes, ...apiKeyRoutes, ...ruleRoutes], servicesFromEnv());
