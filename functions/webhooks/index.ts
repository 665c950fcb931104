/**
 * Webhooks: what the automation runtime calls. A record change becomes deliveries
 * (`webhookDeliveriesFor`, `deliveryForAction`), deliveries become items in the table
 * (`enqueueDeliveries`, idempotent per delivery id, and announced on the SQS queue when
 * `TESSERA_WEBHOOK_QUEUE_URL` is set), and due items are attempted (`runDueDeliveries`: the
 * local tick, the AWS schedule and the tests; `deliverOne`: the queue consumer).
 */
export { deliveryForAction, deliveryId, webhookDeliveriesFor } from './deliveries';
export { deliverOne, deliverySettings, enqueueDeliveries, retryDelayMs, runDueDeliveries, setWebhookQueue } from './runDeliveries';
export { signatureHeader, verifySignature, SIGNATURE_HEADER, DELIVERY_HEADER, EVENT_HEADER, WEBHOOK_HEADER } from './signature';
export type { DeliveryOptions, DeliveryOutcome, RecordChange, WebhookDelivery, WebhookPayload } from './types';
