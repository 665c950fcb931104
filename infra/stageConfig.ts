import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeaturePlan } from 'aws-cdk-lib/aws-cognito';
import type { TesseraStackProps } from './tesseraStack';

/** Where `npm run build` in admin-ui/ puts the site; deployed only when it has an index.html. */
export const ADMIN_UI_DIST = fileURLToPath(new URL('../admin-ui/dist/', import.meta.url));

/** Stage names become part of the stack name: short, lower-case, a letter first. */
const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

type Context = (key: string) => unknown;

/**
 * The stage's settings, from CDK context (`-c key=value` or `cdk.json`):
 *
 * | key | meaning |
 * |---|---|
 * | `stage` | required: `dev`, `prod`, … |
 * | `corsOrigins` | comma-separated origins allowed besides the admin site |
 * | `alarmEmail` | subscribes this address to the alarm topic |
 * | `apiDomain`, `apiCertificateArn` | custom domain for the API (certificate in the stack's region) |
 * | `siteDomain`, `siteCertificateArn` | custom domain for the admin UI (certificate in us-east-1) |
 * | `cognitoPlan` | `essentials` (default) or `plus` (threat protection, billed per user) |
 * | `metadataTtlMs` | how long a container trusts its cached metadata head (default 1000) |
 */
export function stageConfig(context: Context, options: { readonly adminUiDir?: string | null } = {}): TesseraStackProps {
  // null: no site even when admin-ui/dist exists (tests); absent: the build when there is one.
  const adminUiDir = options.adminUiDir === undefined ? (existsSync(join(ADMIN_UI_DIST, 'index.html')) ? ADMIN_UI_DIST : undefined) : (options.adminUiDir ?? undefined);
  const text = (key: string): string | undefined => {
    const v = context(key);
    return v === undefined || v === null || String(v).trim() === '' ? undefined : String(v).trim();
  };
  const stage = text('stage');
  if (!stage || !STAGE.test(stage)) throw new Error(`Name the stage: -c stage=dev (lower-case letters, digits and '-', a letter first, at most 20); got ${JSON.stringify(stage ?? null)}`);
  const pair = (domainKey: string, certKey: string) => {
    const domainName = text(domainKey);
    const certificateArn = text(certKey);
    if (!domainName && !certificateArn) return undefined;
    if (!domainName || !certificateArn) throw new Error(`Set both -c ${domainKey}=… and -c ${certKey}=…`);
    return { domainName, certificateArn };
  };
  const plan = text('cognitoPlan');
  if (plan && plan !== 'essentials' && plan !== 'plus') throw new Error(`cognitoPlan is essentials or plus; got ${plan}`);
  const ttl = text('metadataTtlMs');
  if (ttl !== undefined && !/^\d{1,7}$/.test(ttl)) throw new Error(`metadataTtlMs is a number of milliseconds; got ${ttl}`);
  const apiDomain = pair('apiDomain', 'apiCertificateArn');
  const siteDomain = pair('siteDomain', 'siteCertificateArn');
  const alarmEmail = text('alarmEmail');
  return {
    stage,
    corsOrigins: (text('corsOrigins') ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(adminUiDir ? { adminUiDir } : {}),
    ...(apiDomain ? { apiDomain } : {}),
    ...(siteDomain ? { siteDomain } : {}),
    ...(plan === 'plus' ? { cognitoFeaturePlan: FeaturePlan.PLUS } : {}),
    ...(ttl !== undefined ? { metadataTtlMs: Number(ttl) } : {}),
  };
}
