/**
 * Creates a tenant and its first administrator in a deployed stage's table, then prints the
 * AWS CLI command that creates the same person in Cognito. Both are needed: Cognito signs
 * them in, and the handlers take their roles from the user item in the table (a token's
 * roles are not trusted), so a Cognito user without a table user cannot call the API.
 *
 *   AWS_REGION=eu-west-1 npx tsx infra/firstAdmin.ts --table <TableName output> \
 *     --user-pool <UserPoolId output> --tenant acme --tenant-name "Acme Ltd" \
 *     --email ada@acme.example --name "Ada Lovelace"
 *
 * Uses the default AWS credentials of the shell (it needs dynamodb:PutItem on the table).
 * Re-running with the same tenant keeps the tenant and refuses a second user with the e-mail.
 */
import { parseArgs } from 'node:util';
import { ulid } from 'ulid';
import { TENANT_ID } from '../functions/engine/ids';
import { createDocumentClient } from '../functions/store/client';
import { IdentityStore } from '../functions/store/identityStore';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    'user-pool': { type: 'string' },
    tenant: { type: 'string' },
    'tenant-name': { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    region: { type: 'string' },
  },
});

const missing = ['table', 'user-pool', 'tenant', 'email', 'name'].filter((k) => !values[k as keyof typeof values]);
if (missing.length > 0) {
  process.stderr.write(`Missing ${missing.map((m) => `--${m}`).join(', ')}. See the top of infra/firstAdmin.ts.\n`);
  process.exit(2);
}
const tenant = values.tenant!;
if (!TENANT_ID.test(tenant)) {
  process.stderr.write(`--tenant must be 2–40 lower-case letters, digits or '-', starting with a letter or digit; got ${tenant}\n`);
  process.exit(2);
}
const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
if (!region) {
  process.stderr.write('Set AWS_REGION or pass --region.\n');
  process.exit(2);
}

const doc = createDocumentClient({ tableName: values.table!, region });
const identity = new IdentityStore(doc, values.table!);
const created = await identity.createTenant(tenant, values['tenant-name'] ?? tenant);
const userId = ulid();
await identity.createUser(tenant, {
  id: userId,
  email: values.email!.trim().toLowerCase(),
  name: values.name!,
  roles: ['admin'],
  active: true,
  createdAt: new Date().toISOString(),
  // Cognito holds the password in AWS; the table keeps none.
  passwordHash: '',
});
doc.destroy();

const attributes = [
  ['email', values.email!.trim().toLowerCase()],
  ['email_verified', 'true'],
  ['name', values.name!],
  ['custom:tenant', tenant],
  ['custom:roles', 'admin'],
  ['custom:userId', userId],
]
  .map(([k, v]) => `Name=${k},Value=${JSON.stringify(v)}`)
  .join(' ');
process.stdout.write(
  [
    `${created ? 'Created' : 'Kept the existing'} tenant ${tenant}; created user ${userId} (admin).`,
    'Now create the same person in Cognito (they get an e-mail with a temporary password,',
    'then set a new password and an authenticator app at first sign-in):',
    '',
    `  aws cognito-idp admin-create-user --region ${region} --user-pool-id ${values['user-pool']} \\`,
    `    --username ${JSON.stringify(values.email!.trim().toLowerCase())} --desired-delivery-mediums EMAIL \\`,
    `    --user-attributes ${attributes}`,
    '',
  ].join('\n'),
);
