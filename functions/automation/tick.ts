import type { Services } from '../api/services';
import { runDueDeliveries } from '../webhooks';
import { runDueTimers } from './timers';
import type { TimerOptions } from './timers';

/*
 * What one tick of the clock does: fire due timers and — where no queue carries webhook
 * deliveries (the local runtime) — attempt the due deliveries. In AWS the schedule invokes it
 * every minute and the delivery queue's consumer attempts deliveries within seconds; a
 * delivery the consumer could not handle ends in the queue's own dead-letter queue (alarmed),
 * not in this tick.
 */

export interface TickOptions {
  /** Whether webhook deliveries go through a queue: then the tick leaves them to its consumer. @default Boolean(process.env.TESSERA_WEBHOOK_QUEUE_URL) */
  readonly queued?: boolean;
  readonly timers?: TimerOptions;
}

export interface TickResult {
  readonly timers: { fired: number; cancelled: number; moved: number; failed: number };
  /** Null when deliveries go through the queue. */
  readonly deliveries: { delivered: number; retried: number; dead: number } | null;
}

export async function tick(services: Services, now: Date, options: TickOptions = {}): Promise<TickResult> {
  const queued = options.queued ?? Boolean(process.env.TESSERA_WEBHOOK_QUEUE_URL);
  const [timers, deliveries] = await Promise.all([runDueTimers(services, now, options.timers), queued ? Promise.resolve(null) : runDueDeliveries(services, now)]);
  return { timers, deliveries };
}
