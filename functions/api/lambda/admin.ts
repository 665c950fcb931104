import { createHandler } from '../createHandler';
import { adminRoutes } from '../routes/admin';
import { servicesFromEnv } from '../services';

/** Lambda entry for the admin route group (users, teams, access explanations, audit). */
export const handler = createHandler(adminRoutes, servicesFromEnv());
