import { createHandler } from '../createHandler';
import { openApiRoutes } from '../routes/openapi';
import { servicesFromEnv } from '../services';

/** Lambda entry for the docs route group: the OpenAPI document, per caller. */
export const handler = createHandler(openApiRoutes, servicesFromEnv());
