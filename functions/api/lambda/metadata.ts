import { createHandler } from '../createHandler';
import { routesOf } from '../routes';
import { servicesFromEnv } from '../services';

/** Lambda entry for the metadata route group. */
export const handler = createHandler(routesOf('metadata'), servicesFromEnv());
