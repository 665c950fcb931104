import { createHandler } from '../createHandler';
import { dataRoutes } from '../routes/data';
import { importRoutes } from '../routes/imports';
import { servicesFromEnv } from '../services';

/** Lambda entry for the data route group: CSV export, search, CSV import, duplicate groups and merges. */
export const handler = createHandler([...dataRoutes, ...importRoutes], servicesFromEnv());
