import type { Services } from '../api/services';
import { tick } from '../automation/tick';
import type { TickResult } from '../automation/tick';

/*
 * The local stand-in for the one-minute EventBridge schedule: the same tick (due timers, and
 * due webhook deliveries — there is no queue locally) every `intervalMs`, one at a time.
 */

export interface TickLoopOptions {
  readonly services: Services;
  /** @default 15000 */
  readonly intervalMs?: number;
  readonly onResult?: (result: TickResult) => void;
  readonly onError?: (error: Error) => void;
}

export class TickLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(private readonly options: TickLoopOptions) {}

  get intervalMs(): number {
    return this.options.intervalMs ?? 15_000;
  }

  /** Ticks now, then every `intervalMs` until stopped. */
  start(): void {
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      await this.runOnce();
      if (!this.stopped) this.timer = setTimeout(loop, this.intervalMs);
    };
    void loop();
  }

  /** One tick; a failure is reported to `onError` and the loop goes on. */
  runOnce(): Promise<void> {
    this.running = (this.running ?? Promise.resolve()).then(async () => {
      try {
        const result = await tick(this.options.services, this.options.services.now(), { queued: false });
        this.options.onResult?.(result);
      } catch (error) {
        this.options.onError?.(error as Error);
      }
    });
    return this.running;
  }

  /** Stops ticking and waits for a tick under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
