import type { WebhookSecretItem, WebhookStore } from '../store/webhookStore';
import { newSigningSecret } from './signature';

/** How long a rotated-out secret still signs (beside the new one), so receivers can switch without losing deliveries. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** The webhook's secret, made on first use. */
export async function webhookSecret(store: WebhookStore, tenant: string, webhook: string, now: Date): Promise<WebhookSecretItem> {
  return (await store.secret(tenant, webhook)) ?? store.createSecret(tenant, webhook, newSigningSecret(), now.toISOString());
}

/** The secrets a delivery is signed with now: the current one, and the previous one while it overlaps. */
export async function signingSecrets(store: WebhookStore, tenant: string, webhook: string, now: Date): Promise<string[]> {
  const item = await webhookSecret(store, tenant, webhook, now);
  return item.previous && item.previousUntil && item.previousUntil > now.toISOString() ? [item.secret, item.previous] : [item.secret];
}

/** A new secret; the old one keeps signing for `ROTATION_OVERLAP_MS`. */
export function rotateWebhookSecret(store: WebhookStore, tenant: string, webhook: string, now: Date): Promise<WebhookSecretItem> {
  return store.rotateSecret(tenant, webhook, newSigningSecret(), now.toISOString(), new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString());
}
