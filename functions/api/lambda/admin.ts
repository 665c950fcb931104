import { createHandler } from '../createHandler';
import { adminRoutes } from '../routes/admin';
import { webhookRoutes } from '../routes/webhooks';
import { apiKeyRoutes } from '../routes/apiKeys';
import { openApiRoutes } from '../routes/openapi';
import { ruleRoutes } from '../routes/rules';
import { servicesFromEnv } from '../services';

/** Lambda entry for the admin route group (users, teams, webhook secrets and dead deliveries, API keys, the OpenAPI document, access explanations, audit). */
export const handler = createHandler([...adminRoutes, ...webhookRoutes, ...apiKeyRoutes, ...openApiRoutes, ...ruleRoutes], servicesFromEnv());
