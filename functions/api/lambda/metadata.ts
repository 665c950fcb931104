import { createHandler } from '../createHandler';
import { metadataRoutes } from '../routes/metadata';
import { templateRoutes } from '../routes/templates';
import { servicesFromEnv } from '../services';

/** Lambda entry for the metadata route group: drafts, versions, publish, rollback, templates. */
export const handler = createHandler([...metadataRoutes, ...templateRoutes], servicesFromEnv());
