/**
 * User Timing marks for what the bench measures in Chromium (`bench/formRender.ts`): from a
 * component's first render to the commit where it is `ready` (for a form: its fields' states
 * applied). One `performance.measure(name)` per mount; nothing else is recorded or sent.
 */
import { useLayoutEffect, useRef } from 'react';

export function useRenderTiming(name: string, ready: boolean): void {
  const started = useRef<number | null>(null);
  const done = useRef(false);
  started.current ??= performance.now();
  useLayoutEffect(() => {
    if (!ready || done.current) return;
    done.current = true;
    performance.measure(name, { start: started.current!, end: performance.now() });
  }, [name, ready]);
}
