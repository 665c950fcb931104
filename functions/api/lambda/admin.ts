import { createHandler } from '../createHandler';
import { routesOf } from '../routes';
import { servicesFromEnv } from '../services';

/** Lambda entry for the admin route group (users, teams, access explanations, audit). */
export const handler = createHandler(routesOf('admin'), servicesFromEnv());
