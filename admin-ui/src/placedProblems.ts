/** Problems under one place of the metadata bundle (a rule, a role, a webhook), and how a form item shows them. Pure: unit-tested. */
import type { Problem } from './pointers';

/** A problem below a place of the bundle, with the rest of its pointer (`conditions/all/0/value`, '' for the place itself). */
export interface PlacedProblem extends Problem {
  readonly rest: string;
}

/** Problems whose pointer is `prefix` or below it. */
export function problemsUnder(problems: readonly Problem[] | null | undefined, prefix: string): PlacedProblem[] {
  return (problems ?? []).flatMap((p) => (p.pointer === prefix || p.pointer.startsWith(`${prefix}/`) ? [{ ...p, rest: p.pointer.slice(prefix.length + 1) }] : []));
}

/** Messages of problems whose rest starts with `key` (a form item's status and help). */
export function statusAt(problems: readonly PlacedProblem[], key: string): { validateStatus?: 'error'; help?: string } {
  const messages = problems.filter((p) => p.rest === key || p.rest.startsWith(`${key}/`)).map((p) => p.message);
  return messages.length ? { validateStatus: 'error', help: messages.join('; ') } : {};
}

/** Problems below `key`, with pointers relative to it (for a condition builder or a list item). */
export function below(problems: readonly PlacedProblem[], key: string): PlacedProblem[] {
  return problems.flatMap((p) => (p.rest === key || p.rest.startsWith(`${key}/`) ? [{ ...p, pointer: p.rest.slice(key.length), rest: p.rest.slice(key.length + 1) }] : []));
}


/** The console screen where a problem outside objects is fixed: the rule's, report's, dashboard's, conversion's, role's or webhook's editor. */
export function problemRoute(pointer: string, bundle: {
  validationRules?: Array<{ name: string }>; automationRules?: Array<{ name: string }>; assignmentRules?: Array<{ object: string }>;
  reports?: Array<{ name: string }>; dashboards?: Array<{ name: string }>; conversions?: Array<{ name: string }>;
}): string | null {
  const [kind, index] = pointer.split('/').slice(1);
  const i = Number(index);
  switch (kind) {
    case 'validationRules': { const r = bundle.validationRules?.[i]; return r ? `/rules/validation/${r.name}` : '/rules?kind=validation'; }
    case 'automationRules': { const r = bundle.automationRules?.[i]; return r ? `/rules/automation/${r.name}` : '/rules?kind=automation'; }
    case 'assignmentRules': { const r = bundle.assignmentRules?.[i]; return r ? `/rules/assignment/${r.object}` : '/rules?kind=assignment'; }
    case 'reports': { const r = bundle.reports?.[i]; return r ? `/reports/report/${r.name}` : '/reports?kind=reports'; }
    case 'dashboards': { const d = bundle.dashboards?.[i]; return d ? `/reports/dashboard/${d.name}` : '/reports?kind=dashboards'; }
    case 'conversions': { const c = bundle.conversions?.[i]; return c ? `/reports/conversion/${c.name}` : '/reports?kind=conversions'; }
    case 'roles': return '/roles';
    case 'webhooks': case 'settings': return '/settings';
    default: return null;
  }
}
