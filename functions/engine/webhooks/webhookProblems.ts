import type { Problem } from '../errors';
import { pointer } from '../errors';
import type { MetadataBundle, WebhookDef } from '../metadata/types';
import { conditionProblems } from '../rules/conditions';
import { allowHostProblem, webhookUrlProblems } from './urlPolicy';

/**
 * Meaning checks of the bundle's webhooks and of `settings.webhooks`, at JSON pointers into
 * the bundle (the meta-schema has checked the shape): unique names, a known object, conditions
 * that fit the object, and a URL the address policy allows.
 */
export function webhookProblems(bundle: MetadataBundle, webhooks: ReadonlyArray<readonly [WebhookDef, number]> = (bundle.webhooks ?? []).map((w, i) => [w, i] as const)): Problem[] {
  const problems: Problem[] = [];
  const allowHosts = bundle.settings?.webhooks?.allowHosts ?? [];
  allowHosts.forEach((entry, i) => {
    const wrong = allowHostProblem(entry);
    if (wrong) problems.push({ path: pointer('settings', 'webhooks', 'allowHosts', i), code: 'format', message: `must be ${wrong}`, params: { entry } });
  });
  const objects = new Map(bundle.objects.map((o) => [o.name, o] as const));
  const seen = new Map<string, number>();
  for (const [webhook, i] of webhooks) {
    const at = pointer('webhooks', i);
    if (seen.has(webhook.name)) problems.push({ path: `${at}/name`, code: 'duplicate', message: `webhook name "${webhook.name}" is already used`, params: { name: webhook.name } });
    else seen.set(webhook.name, i);
    const object = objects.get(webhook.object);
    if (!object) problems.push({ path: `${at}/object`, code: 'unknownObject', message: `"${webhook.object}" is not an object`, params: { object: webhook.object } });
    else if (webhook.conditions !== undefined) problems.push(...conditionProblems(webhook.conditions, object, `${at}/conditions`));
    problems.push(...webhookUrlProblems(webhook.url, allowHosts, `${at}/url`));
  }
  return problems;
}
