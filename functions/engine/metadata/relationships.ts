import type { LookupField, MetadataBundle, ObjectDef, PicklistField } from './types';

/*
 * Relationship and record-type facts derived from raw metadata, in one place, so validation,
 * compilation and the write path read them the same way.
 */

/** The platform field records carry their record type in, on objects that declare record types. */
export const RECORD_TYPE_FIELD = 'record_type';

/** An object may have at most this many master-detail lookups (a junction has exactly two). */
export const MAX_MASTERS = 2;

/** Master-detail chains (a detail that is itself a master) are at most this deep: an owner change cascades that far. */
export const MAX_MASTER_DEPTH = 5;

export const isMasterDetail = (field: { type: string; relationship?: string }): field is LookupField => field.type === 'lookup' && field.relationship === 'master-detail';

export const masterDetailFields = (object: ObjectDef): LookupField[] => object.fields.filter(isMasterDetail);

/** The lookup whose target's owner the record takes: the junction's first, else the first master-detail lookup. */
export function primaryMaster(object: ObjectDef): LookupField | null {
  const masters = masterDetailFields(object);
  const first = object.junction?.between[0];
  return (first ? masters.find((f) => f.name === first) : undefined) ?? masters[0] ?? null;
}

/** Details whose owner follows `master`'s records: the primary master-detail lookups of every object pointing at it. */
export function detailsOf(bundle: MetadataBundle, master: string): Array<{ object: string; field: string }> {
  return bundle.objects.flatMap((o) => {
    const primary = primaryMaster(o);
    return primary && primary.target === master ? [{ object: o.name, field: primary.name }] : [];
  });
}

/** The default record type's name (the one marked default, else the first active one), or null without record types. */
export function defaultRecordType(object: ObjectDef): string | null {
  const types = object.recordTypes ?? [];
  return (types.find((t) => t.default) ?? types.find((t) => t.active !== false) ?? types[0])?.name ?? null;
}

/** The platform's `record_type` picklist of an object with record types. */
export function recordTypeField(object: ObjectDef): PicklistField | null {
  const types = object.recordTypes ?? [];
  if (types.length === 0) return null;
  return {
    name: RECORD_TYPE_FIELD,
    type: 'picklist',
    label: { en: 'Record type', 'zh-CN': '记录类型' },
    required: true,
    default: defaultRecordType(object)!,
    options: types.map((t) => ({ value: t.name, label: t.label, ...(t.active === false ? { inactive: true } : {}) })),
  };
}

/**
 * The bundle as the run time interprets it: objects with record types gain their
 * `record_type` field, so storage, validation, history, filters and field access treat it
 * like any picklist. Returns a new bundle; the input is left as it is.
 */
export function sanitizeBundle(bundle: MetadataBundle): MetadataBundle {
  if (!bundle.objects.some((o) => (o.recordTypes ?? []).length > 0)) return bundle;
  return {
    ...bundle,
    objects: bundle.objects.map((o) => {
      const field = recordTypeField(o);
      return field && !o.fields.some((f) => f.name === RECORD_TYPE_FIELD) ? { ...o, fields: [...o.fields, field] } : o;
    }),
  };
}
