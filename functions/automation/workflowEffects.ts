import type { CompiledBundle } from '../engine/compile/compileBundle';
import { workflowRule } from '../engine/workflows/compileWorkflow';
import type { Services } from '../api/services';
import { recordDepthLimit, runRule } from './actions';
import type { RecordChange } from './types';
import { MAX_CASCADE_DEPTH } from './types';

/*
 * The after-save half of transitions and approval outcomes. Their write marks the record
 * with the derived rules it owes for that version (`workflow.after`); the stream delivers the
 * change at least once and each rule runs as an automation rule (trigger "workflow"), its
 * effects keyed by the stream event, so a redelivery applies nothing twice. A later version
 * of the record carries no such mark for this one, so nothing runs late or again.
 */
export async function runWorkflowEffects(services: Services, bundle: CompiledBundle, change: RecordChange): Promise<void> {
  const after = change.record.workflow?.after;
  if (change.event === 'deleted' || !after || after.version !== change.record.version) return;
  for (const name of after.rules) {
    const rule = workflowRule(bundle.bundle, name);
    if (!rule) continue;
    if (change.depth >= MAX_CASCADE_DEPTH) await recordDepthLimit(services, rule, change, 'workflow');
    else await runRule({ services, bundle, rule, change, trigger: 'workflow' });
  }
}
