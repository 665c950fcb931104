import { createHandler } from '../createHandler';
import { metadataRoutes } from '../routes/metadata';
import { openApiRoutes } from '../routes/openapi';
import { templateRoutes } from '../routes/templates';
import { servicesFromEnv } from '../services';

/** Lambda entry for the metadata route group: drafts, versions, publish, rollback, templates, the OpenAPI document. */
export const handler = createHandler([...metadataRoutes, ...templateRoutes, ...openApiRoutes], servicesFromEnv());
