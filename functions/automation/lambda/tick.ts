import { tick } from '../tick';
import type { TickResult } from '../tick';
import { automationServices } from './services';

/**
 * Lambda entry for the one-minute schedule: fires due timers (and attempts due webhook
 * deliveries when no queue is configured). The event says nothing the tick needs; it reads
 * its own clock. A throw (the table unreachable) fails the invocation, which the errors alarm
 * reports; due work waits for the next minute.
 */
export const handler = async (): Promise<TickResult> => {
  const result = await tick(automationServices(), new Date());
  if (result.timers.fired + result.timers.cancelled + result.timers.failed > 0 || result.deliveries) console.log(JSON.stringify({ level: 'info', msg: 'tick', ...result }));
  return result;
};
