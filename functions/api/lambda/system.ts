import { createHandler } from '../createHandler';
import { systemRoutes } from '../routes/system';
import { servicesFromEnv } from '../services';

/** Lambda entry for the system route group. It imports only its own routes, so its bundle holds only what they use. */
export const handler = createHandler(systemRoutes.filter((r) => r.group === 'system'), servicesFromEnv());
