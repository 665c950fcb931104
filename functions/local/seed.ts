import { hashPassword } from '../api/auth/passwords';
import type { UserContext } from '../api/auth/tokens';
import { installTemplate } from '../api/operations/templates';
import { createRecord } from '../api/operations/records';
import type { Services } from '../api/services';
import { templatesDir, listTemplates, loadTemplate } from '../api/templates/catalog';
import { join } from 'node:path';

export const DEMO_TENANT = 'demo';

/** Demo users, one per kind of staff the seeds describe. Roles become real in the security model. */
export const DEMO_USERS = [
  { key: 'admin', name: 'Ada Admin', email: 'admin@demo.tessera.local', roles: ['admin'] },
  { key: 'sales', name: '王销售 (Sales rep)', email: 'sales@demo.tessera.local', roles: ['sales_rep'] },
  { key: 'manager', name: 'Mia Manager', email: 'manager@demo.tessera.local', roles: ['sales_manager'] },
  { key: 'service', name: '赵客服 (Service agent)', email: 'service@demo.tessera.local', roles: ['service_agent'] },
  { key: 'analyst', name: 'Ana Analyst', email: 'analyst@demo.tessera.local', roles: ['data_analyst'] },
  { key: 'director', name: 'Dora Director', email: 'director@demo.tessera.local', roles: ['executive'] },
] as const;

/** The manager chain approvals walk: the sales rep reports to the sales manager, who reports to the director. */
const MANAGER_OF: Partial<Record<(typeof DEMO_USERS)[number]['key'], (typeof DEMO_USERS)[number]['key']>> = { sales: 'manager', manager: 'director' };

export interface DemoLogin {
  readonly tenant: string;
  readonly email: string;
  readonly password: string;
  readonly roles: readonly string[];
}

/**
 * Creates the demo tenant when it does not exist: users, CRM core plus one industry template
 * (installed through the same operation the API uses), and their sample records. Does nothing
 * on later starts, so data survives restarts.
 */
export async function seedDemoTenant(services: Services, password: string, industryTemplate = 'ict'): Promise<{ created: boolean; logins: DemoLogin[] }> {
  const logins = DEMO_USERS.map((u) => ({ tenant: DEMO_TENANT, email: u.email, password, roles: u.roles }));
  if (!(await services.identity.createTenant(DEMO_TENANT, 'Demo Trading Co. 演示贸易公司'))) return { created: false, logins };

  const hash = await hashPassword(password);
  const ids: Record<string, string> = {};
  for (const u of DEMO_USERS) ids[u.key] = services.newId();
  for (const u of DEMO_USERS) {
    const manager = MANAGER_OF[u.key];
    await services.identity.createUser(DEMO_TENANT, { id: ids[u.key]!, email: u.email, name: u.name, roles: u.roles, active: true, createdAt: new Date().toISOString(), passwordHash: hash, ...(manager ? { manager: ids[manager]! } : {}) });
  }
  const admin: UserContext = { tenantId: DEMO_TENANT, userId: ids.admin!, roles: ['admin'] };
  const industry = listTemplates().includes(industryTemplate) && industryTemplate !== 'crm-core' ? industryTemplate : null;
  await installTemplate(services, admin, 'crm-core', industry === null);
  if (industry) await installTemplate(services, admin, industry, true);

  await services.identity.putTeam(DEMO_TENANT, { id: services.newId(), name: 'Service desk 客服中心', members: [ids.service!] }, 0);

  const refs: Record<string, string> = {};
  const resolveRefs = (values: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('@') ? refs[v.slice(1)] : v]));
  const owners = [ids.sales!, ids.manager!, ids.sales!];
  const sampleData = [loadTemplate(join(templatesDir(), 'crm-core')), ...(industry ? [loadTemplate(join(templatesDir(), industry))] : [])].flatMap((t) => Object.entries(t.sampleData));
  for (const [object, rows] of sampleData) {
    for (const [i, row] of rows.entries()) {
      const owner = object === 'service_request' ? ids.service! : owners[i % owners.length]!;
      const record = await createRecord(services, admin, object, { ...resolveRefs(row.values), owner });
      if (row.ref) refs[row.ref] = record.id;
    }
  }
  return { created: true, logins };
}
