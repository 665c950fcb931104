import { EngineError } from '../../engine/errors';
import type { JsonSchema } from '../../engine/fields';
import type { LayoutDef } from '../../engine/metadata/types';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { currentBundle } from './currentBundle';

/**
 * The compiled record schema of an object as one caller's forms should render it, for one
 * record type: picklists offer only that type's values, `x-layout` is its layout, fields
 * hidden from the caller are absent (from properties, `required` and the layout) and fields
 * the caller may only read are `readOnly`. `x-when` and `x-dependsOn` carry the field logic.
 */
export async function recordSchema(services: Services, user: UserContext, objectName: string, recordType: string | undefined): Promise<JsonSchema> {
  const bundle = await currentBundle(services, user.tenantId);
  const access = bundle.hasObject(objectName) ? bundle.access(user.roles).object(objectName) : null;
  if (!access?.can.read) throw new EngineError('object.notFound', `There is no object "${objectName}"`, [], { object: objectName });
  const object = bundle.object(objectName);
  if (recordType !== undefined && !object.recordTypes.some((t) => t.name === recordType && t.active !== false)) {
    throw new EngineError('query.invalid', `${objectName} has no active record type "${recordType}"`, [
      { path: '/recordType', code: 'unknownRecordType', message: `record types: ${object.recordTypes.filter((t) => t.active !== false).map((t) => t.name).join(', ') || 'none'}`, params: { recordType } },
    ]);
  }
  const schema = object.schemaFor(recordType);
  const level = (field: string) => access.fields.get(field)?.value ?? 'hidden';
  const properties = Object.fromEntries(
    Object.entries(schema.properties as Record<string, JsonSchema>)
      .filter(([name]) => level(name) !== 'hidden')
      .map(([name, s]) => [name, level(name) === 'read' ? { ...s, readOnly: true } : s]),
  );
  const layout = schema['x-layout'] as LayoutDef | undefined;
  return {
    ...schema,
    properties,
    required: (schema.required as string[]).filter((name) => name in properties),
    'x-recordTypes': object.recordTypes.filter((t) => t.active !== false).map((t) => ({ name: t.name, label: t.label, ...(t.default ? { default: true } : {}) })),
    ...(layout
      ? { 'x-layout': { ...layout, sections: layout.sections.map((s) => ({ ...s, columns: s.columns.map((c) => c.filter((name) => name in properties)) })) } }
      : {}),
  };
}
