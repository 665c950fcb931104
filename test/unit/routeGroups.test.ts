import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes';
import { systemRoutes } from '../../functions/api/routes/system';
import { recordRoutes } from '../../functions/api/routes/records';
import { adminRoutes } from '../../functions/api/routes/admin';
import { metadataRoutes } from '../../functions/api/routes/metadata';
import { templateRoutes } from '../../functions/api/routes/templates';
import { dataRoutes } from '../../functions/api/routes/data';
import { webhookRoutes } from '../../functions/api/routes/webhooks';
import { apiKeyRoutes } from '../../functions/api/routes/apiKeys';
import { batchRoutes } from '../../functions/api/routes/batch';
import { openApiRoutes } from '../../functions/api/routes/openapi';
import { automationRoutes } from '../../functions/api/routes/automation';
import { ruleRoutes } from '../../functions/api/routes/rules';
import { savedViewRoutes } from '../../functions/api/routes/savedViews';
import { importRoutes } from '../../functions/api/routes/imports';
import { workflowRoutes } from '../../functions/api/routes/workflows';
import { reportRoutes } from '../../functions/api/routes/reports';

describe('Lambda entries', () => {
  it('each route module holds routes of one group, matching what its Lambda entry serves', () => {
    const served: Record<string, unknown[]> = {
      system: systemRoutes.filter((r) => r.group === 'system'),
      auth: systemRoutes.filter((r) => r.group === 'auth'),
      records: [...recordRoutes, ...batchRoutes, ...automationRoutes, ...savedViewRoutes, ...workflowRoutes, ...reportRoutes],
      admin: [...adminRoutes, ...webhookRoutes, ...apiKeyRoutes, ...ruleRoutes],
      docs: openApiRoutes,
      metadata: [...metadataRoutes, ...templateRoutes],
      data: [...dataRoutes, ...importRoutes],
    };
    for (const route of ROUTES) expect(served[route.group], `${route.method} ${route.path}`).toContain(route);
    expect(Object.values(served).flat()).toHaveLength(ROUTES.length);
  });
});
