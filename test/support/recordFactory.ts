import fc from 'fast-check';
import type { FieldDef, MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import type { TestApi } from './testApi';

let counter = 0;

/** A valid value for a field, from its definition alone. */
export function valueFor(field: FieldDef, userId: string): unknown {
  const n = ++counter;
  switch (field.type) {
    case 'text': {
      if (field.pattern) {
        const max = field.maxLength ?? 255;
        const candidates = fc.sample(fc.stringMatching(new RegExp(field.pattern, 'u')), { numRuns: 50, seed: Date.now() + n * 7919 }).filter((v) => v.length <= max && v.length >= (field.minLength ?? 0));
        return candidates[0];
      }
      const s = `${field.name} ${n}`;
      return s.slice(0, field.maxLength ?? 255).padEnd(field.minLength ?? 0, 'x');
    }
    case 'textarea':
      return `about ${field.name}`;
    case 'number':
    case 'currency':
    case 'percent':
      return field.min ?? Math.min(1, field.max ?? 1);
    case 'date':
      return field.min ?? '2026-12-01';
    case 'datetime':
      return '2026-12-01T09:00:00.000Z';
    case 'boolean':
      return true;
    case 'email':
      return `x${n}.${Date.now()}@example.com`;
    case 'phone':
      return `+86 138 ${String(n).padStart(4, '0')} ${String(Date.now() % 10000).padStart(4, '0')}`;
    case 'url':
      return 'https://example.com';
    case 'picklist':
      return field.options.find((o) => !o.inactive)?.value;
    case 'multi-picklist':
      return [field.options.find((o) => !o.inactive)!.value];
    case 'user':
      return userId;
    case 'lookup':
    case 'auto-number':
      return undefined;
  }
}

/**
 * Creates a record of `object` with every required field (and every optional one it can
 * fill), creating the records its required lookups point to first. Returns the API response.
 */
export async function createSample(api: TestApi, bundle: MetadataBundle, object: string, token: string, userId: string, depth = 0, adminToken = token, editable: (object: string, field: string) => boolean = () => true): Promise<{ status: number; body: any }> {
  const def: ObjectDef = bundle.objects.find((o) => o.name === object)!;
  const body: Record<string, unknown> = {};
  for (const field of def.fields) {
    if (!editable(object, field.name) && (!field.required || ('default' in field && field.default !== undefined))) continue;
    if (field.type === 'lookup') {
      if (!field.required || depth > 4) continue;
      const parent = await createSample(api, bundle, field.target, adminToken, userId, depth + 1, adminToken);
      if (parent.status !== 201) return parent;
      body[field.name] = parent.body.id;
      continue;
    }
    if (field.unique && !field.required && field.type !== 'email') continue;
    const value = valueFor(field, userId);
    if (value === undefined) continue;
    body[field.name] = value;
  }
  return api.call('POST', `/api/objects/${object}/records`, { token, body });
}
