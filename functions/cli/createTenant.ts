import { monotonicFactory } from 'ulid';
import { TENANT_ID } from '../engine/ids';
import { BUILT_IN_ADMIN } from '../engine/metadata/types';
import { hashPassword } from '../api/auth/passwords';
import { createDocumentClient } from '../store/client';
import type { StoreConfig } from '../store/client';
import { IdentityStore } from '../store/identityStore';

export interface CreateTenantInput {
  readonly store: StoreConfig;
  readonly tenantId: string;
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/** Creates a tenant and its first administrator (built-in `admin` role). Refuses a taken tenant id. */
export async function createTenant(input: CreateTenantInput): Promise<{ ok: true; adminId: string } | { ok: false; problems: string[] }> {
  const problems = [
    ...(TENANT_ID.test(input.tenantId) ? [] : ['tenant id: 2–40 lower-case letters, digits and dashes, starting with a letter or digit']),
    ...(/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email) ? [] : ['admin e-mail is not an e-mail address']),
    ...(input.password.length >= 10 ? [] : ['admin password: at least 10 characters']),
  ];
  if (problems.length) return { ok: false, problems };
  const doc = createDocumentClient(input.store);
  try {
    const identity = new IdentityStore(doc, input.store.tableName);
    if (!(await identity.createTenant(input.tenantId, input.name))) return { ok: false, problems: [`tenant ${input.tenantId} already exists`] };
    const adminId = monotonicFactory()();
    await identity.createUser(input.tenantId, {
      id: adminId,
      email: input.email,
      name: 'Administrator',
      roles: [BUILT_IN_ADMIN],
      active: true,
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword(input.password),
    });
    return { ok: true, adminId };
  } finally {
    doc.destroy();
  }
}
