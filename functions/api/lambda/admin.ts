import { createHandler } from '../createHandler';
import { adminRoutes } from '../routes/admin';
import { apiKeyRoutes } from '../routes/apiKeys';
import { servicesFromEnv } from '../services';

/** Lambda entry for the admin route group (users, teams, API keys, access explanations, audit). */
export const handler = createHandler([...adminRoutes, ...apiKeyRoutes], servicesFromEnv());
