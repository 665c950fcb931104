import { join } from 'node:path';
import { templatesDir, loadTemplate } from '../../functions/api/templates/catalog';
import type { TestApi } from './testApi';

export const PERSONAS = ['rep', 'rep2', 'manager', 'agent', 'agent2', 'analyst', 'marketer'] as const;
export type Persona = (typeof PERSONAS)[number] | 'admin';

const ROLE_OF: Record<Exclude<Persona, 'admin'>, string> = {
  rep: 'sales_rep',
  rep2: 'sales_rep',
  manager: 'sales_manager',
  agent: 'service_agent',
  agent2: 'service_agent',
  analyst: 'data_analyst',
  marketer: 'marketer',
};

export interface CrmTenant {
  readonly tenantId: string;
  readonly tokens: Record<Persona, string>;
  readonly ids: Record<Persona, string>;
}

/** A tenant with crm-core published, one user per persona, and agent + agent2 in one team. */
export async function crmTenant(api: TestApi): Promise<CrmTenant> {
  const admin = await api.tenant();
  await api.publish(admin.token, loadTemplate(join(templatesDir(), 'crm-core')).bundle);
  const tokens = { admin: admin.token } as Record<Persona, string>;
  const ids = { admin: admin.user.userId } as Record<Persona, string>;
  for (const persona of Object.keys(ROLE_OF) as Array<Exclude<Persona, 'admin'>>) {
    const res = await api.call('POST', '/api/users', { token: admin.token, body: { email: `${persona}@${admin.tenantId}.test`, name: persona, roles: [ROLE_OF[persona]], password: 'correct horse battery staple' } });
    if (res.status !== 201) throw new Error(`user ${persona}: ${JSON.stringify(res.body)}`);
    ids[persona] = res.body.id;
    tokens[persona] = (await api.services.tokens.sign!({ tenantId: admin.tenantId, userId: res.body.id, roles: [] })).token;
  }
  const team = await api.call('POST', '/api/teams', { token: admin.token, body: { name: 'Service desk', members: [ids.agent, ids.agent2] } });
  if (team.status !== 201) throw new Error(`team: ${JSON.stringify(team.body)}`);
  return { tenantId: admin.tenantId, tokens, ids };
}

/** A minimal valid body per crm-core object; `ref` supplies an account id for lookups. */
export function sampleBody(object: string, account: string): Record<string, unknown> {
  switch (object) {
    case 'account':
      return { name: `Acct ${Math.random().toString(36).slice(2, 8)}`, employees: 10 };
    case 'contact':
      return { full_name: 'Zhang San', mobile: '+86 138 1234 5678', account };
    case 'opportunity':
      return { name: 'Deal', account, close_date: '2027-01-31', amount: 1000 };
    case 'service_request':
      return { subject: 'Printer on fire', account, description: 'smoke' };
    default:
      throw new Error(object);
  }
}
