import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Deliveries are signed as Stripe signs its events: HMAC-SHA256 with the webhook's secret over
 * `${timestamp}.${body}`, sent as `Tessera-Signature: t=<unix seconds>,v1=<hex>`. The timestamp
 * is inside the signed text, so a receiver that refuses old timestamps (5 minutes is usual)
 * also refuses replays. While a rotated-out secret is still valid, a second `v1=` carries its
 * signature, so a receiver can switch secrets without losing deliveries.
 */

export const SIGNATURE_HEADER = 'tessera-signature';
export const DELIVERY_HEADER = 'tessera-delivery';
export const EVENT_HEADER = 'tessera-event';
export const WEBHOOK_HEADER = 'tessera-webhook';

/** A new signing secret: 32 random bytes, recognisable by its prefix. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

const hmac = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** The `Tessera-Signature` header value for a body, signed with each secret given (current first). */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${hmac(s, timestamp, body)}`)].join(',');
}

/**
 * What a receiver does: true when one `v1` of the header is the body's signature with
 * `secret` and the timestamp is within `toleranceSeconds` of `now`.
 */
export function verifySignature(header: string | undefined, body: string, secret: string, now: Date = new Date(), toleranceSeconds = 300): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('=') as [string, string?]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  return parts.some(([k, v]) => k === 'v1' && typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) && timingSafeEqual(Buffer.from(v, 'hex'), expected));
}
