import type { Template } from 'aws-cdk-lib/assertions';
import type { RouteGroup } from '../../functions/api/http';
import type { AutomationFunctionName } from '../../infra/bundling';
import { AUTOMATION_DESCRIPTIONS } from '../../infra/constructs/automation';

/* Finding resources in a synthesized template by type and content, never by logical id. */

export interface FoundResource {
  readonly id: string;
  readonly Properties: Record<string, any>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export function resourcesOf(template: Template, type: string, where: (id: string, r: FoundResource) => boolean = () => true): FoundResource[] {
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
  return Object.entries(resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => ({ id, Properties: r.Properties ?? {}, ...(r.DeletionPolicy ? { DeletionPolicy: r.DeletionPolicy } : {}), ...(r.UpdateReplacePolicy ? { UpdateReplacePolicy: r.UpdateReplacePolicy } : {}) }))
    .filter((r) => where(r.id, r));
}

/** The API functions by route group, told apart by their description (`Tessera API: <group> routes`). */
export function functionsByGroup(template: Template): Map<RouteGroup, { id: string; roleId: string; props: Record<string, any> }> {
  const found = new Map<RouteGroup, { id: string; roleId: string; props: Record<string, any> }>();
  for (const fn of resourcesOf(template, 'AWS::Lambda::Function')) {
    const m = /^Tessera API: (\w+) routes$/.exec(String(fn.Properties.Description ?? ''));
    if (!m) continue;
    found.set(m[1] as RouteGroup, { id: fn.id, roleId: fn.Properties.Role['Fn::GetAtt'][0], props: fn.Properties });
  }
  return found;
}

/** The automation functions by name, told apart by their description (`AUTOMATION_DESCRIPTIONS`). */
export function automationFunctions(template: Template): Map<AutomationFunctionName, { id: string; roleId: string; props: Record<string, any> }> {
  const byDescription = new Map(Object.entries(AUTOMATION_DESCRIPTIONS).map(([name, d]) => [d, name as AutomationFunctionName]));
  const found = new Map<AutomationFunctionName, { id: string; roleId: string; props: Record<string, any> }>();
  for (const fn of resourcesOf(template, 'AWS::Lambda::Function')) {
    const name = byDescription.get(String(fn.Properties.Description ?? ''));
    if (name) found.set(name, { id: fn.id, roleId: fn.Properties.Role['Fn::GetAtt'][0], props: fn.Properties });
  }
  return found;
}

export interface Statement {
  readonly actions: string[];
  readonly resources: unknown[];
}

/** Every Allow statement of every inline policy attached to the role. */
export function policyStatementsOf(template: Template, roleId: string): Statement[] {
  const policies = resourcesOf(template, 'AWS::IAM::Policy', (_id, p) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })));
  return policies.flatMap((p) =>
    (p.Properties.PolicyDocument.Statement as Array<{ Effect: string; Action: string | string[]; Resource: unknown }>)
      .filter((s) => s.Effect === 'Allow')
      .map((s) => ({ actions: [s.Action].flat(), resources: [s.Resource].flat() })),
  );
}
