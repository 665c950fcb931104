import { createHandler } from '../createHandler';
import { dataRoutes } from '../routes/data';
import { servicesFromEnv } from '../services';

/** Lambda entry for the data route group: CSV export and search. */
export const handler = createHandler(dataRoutes, servicesFromEnv());
