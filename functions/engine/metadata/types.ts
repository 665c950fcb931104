/**
 * The raw metadata a tenant edits, exactly as stored and as the meta-schemas in
 * `metadata/schema/` describe it. Compiled forms live in `../compile/`.
 */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** Translated text; at least one locale is present, `en` is the fallback. */
export type Labels = Partial<Record<Locale, string>>;

export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'currency',
  'percent',
  'date',
  'datetime',
  'boolean',
  'email',
  'phone',
  'url',
  'picklist',
  'multi-picklist',
  'lookup',
  'user',
  'auto-number',
  'formula',
  'rollup',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

interface FieldBase {
  /** API name, `snake_case`, unique within the object. */
  name: string;
  label: Labels;
  help?: Labels;
  /** @default false */
  required?: boolean;
  /** @default false — enforced by guard items in the record's own transaction. */
  unique?: boolean;
  /** @default false — declares a single-field index (equality, range and sort on this field). */
  indexed?: boolean;
  /** @default false — masked (e.g. `138****5678`) for roles without `unmask` on the object. */
  sensitive?: boolean;
  /**
   * Conditional logic, as json-rules-engine conditions over the record's values (e.g.
   * `{"all": [{"fact": "stage", "operator": "equal", "value": "lost"}]}`): required, read-only
   * or visible only while they hold. Enforced on every write; published for forms to apply live.
   */
  when?: { required?: RuleConditions; readOnly?: RuleConditions; visible?: RuleConditions };
}

/** json-rules-engine conditions: `{all: [...]}` or `{any: [...]}` of `{fact, operator, value}` (nested). */
export type RuleConditions = Record<string, unknown>;

export interface TextField extends FieldBase {
  type: 'text';
  default?: string;
  minLength?: number;
  /** @default 255 */
  maxLength?: number;
  /** ECMAScript regular expression the whole value must match. */
  pattern?: string;
}
export interface TextareaField extends FieldBase {
  type: 'textarea';
  default?: string;
  minLength?: number;
  /** @default 32000 */
  maxLength?: number;
}
interface NumericBase extends FieldBase {
  default?: number;
  min?: number;
  max?: number;
  /** Decimal places kept; values are rounded half away from zero. */
  scale?: number;
}
export interface NumberField extends NumericBase { type: 'number' }
/** @default scale 2 */
export interface CurrencyField extends NumericBase { type: 'currency'; currency?: string }
/** Stored as the percentage itself (12.5 means 12.5 %). */
export interface PercentField extends NumericBase { type: 'percent' }
export interface DateField extends FieldBase { type: 'date'; default?: string; min?: string; max?: string }
export interface DatetimeField extends FieldBase { type: 'datetime'; default?: string }
export interface BooleanField extends FieldBase { type: 'boolean'; default?: boolean }
export interface EmailField extends FieldBase { type: 'email'; default?: string }
export interface PhoneField extends FieldBase { type: 'phone'; default?: string }
export interface UrlField extends FieldBase { type: 'url'; default?: string }

export interface PicklistOption {
  value: string;
  label: Labels;
  /** CSS colour, `#rrggbb`. */
  color?: string;
  /** Inactive options stay valid on existing records but cannot be chosen anew. */
  inactive?: boolean;
}
export interface PicklistField extends FieldBase {
  type: 'picklist';
  options: PicklistOption[];
  default?: string;
  /** A dependent picklist: which of this field's values each value of `field` allows. */
  dependsOn?: { field: string; values: Record<string, string[]> };
}
export interface MultiPicklistField extends FieldBase {
  type: 'multi-picklist';
  options: PicklistOption[];
  default?: string[];
  maxSelected?: number;
}
export interface LookupField extends FieldBase {
  type: 'lookup';
  target: string;
  /**
   * What deleting the target does to records pointing at it: `restrict` refuses while any
   * exist, `clear` empties this field, `cascade` deletes them too. Needs the lookup indexed.
   * Unset: references are left as they are.
   */
  onDelete?: 'restrict' | 'clear' | 'cascade';
}
export interface UserField extends FieldBase { type: 'user' }
export interface AutoNumberField extends FieldBase {
  type: 'auto-number';
  /** e.g. `OPP-{YYYY}-{0000}`: `{YYYY}`, `{YY}`, `{MM}`, `{DD}` and one run of zeros for the counter. */
  pattern: string;
  /** @default 1 */
  start?: number;
}

/**
 * Computed from the record's other fields. Stored on every write (so it can be filtered,
 * sorted and indexed) unless it calls TODAY() or NOW(): then it is computed on read.
 */
export interface FormulaField extends FieldBase {
  type: 'formula';
  returnType: 'number' | 'currency' | 'percent' | 'text' | 'date' | 'boolean';
  /** e.g. `IF(amount > 100000, "large", "small")`, `DATEDIFF(TODAY(), close_date)`, `amount * probability / 100`. */
  expression: string;
  /** Decimal places for number, currency (default 2) and percent results. */
  scale?: number;
}

/**
 * A summary of child records that look up to this one, kept exact in real time: count, sum
 * and average change in the child's own transaction; min and max are recomputed right after.
 */
export interface RollupField extends FieldBase {
  type: 'rollup';
  /** The child object. */
  child: string;
  /** The child's lookup field that points at this object. */
  via: string;
  function: 'count' | 'sum' | 'avg' | 'min' | 'max';
  /** The child's numeric field summarised (not for count). */
  field?: string;
  /** Only children whose fields equal these values count (e.g. `{"stage": "won"}`). */
  where?: Record<string, string | number | boolean>;
}

export type FieldDef =
  | RollupField
  | FormulaField
  | TextField
  | TextareaField
  | NumberField
  | CurrencyField
  | PercentField
  | DateField
  | DatetimeField
  | BooleanField
  | EmailField
  | PhoneField
  | UrlField
  | PicklistField
  | MultiPicklistField
  | LookupField
  | UserField
  | AutoNumberField;

export type FieldOf<T extends FieldType> = Extract<FieldDef, { type: T }>;

/** An index an object declares: equality on `equals`, range and order on `sort`. */
export interface IndexDef {
  name: string;
  equals: string[];
  sort?: string;
}

export interface ObjectDef {
  /** API name, `snake_case`, unique within the tenant. */
  name: string;
  label: Labels;
  pluralLabel?: Labels;
  description?: Labels;
  /** The field that names a record in lists, lookups and search. */
  nameField: string;
  fields: FieldDef[];
  indexes?: IndexDef[];
  /** @default true */
  trackHistory?: boolean;
  /**
   * Baseline record access for everyone who may read the object: `private` (only what a
   * role's scope allows), `read` (everyone reads every record), `read-write` (and updates).
   * @default "private"
   */
  sharing?: 'private' | 'read' | 'read-write';
  /** Template that contributed this object, if any. */
  source?: string;
}

/** Which records of an object a role reaches: by owner — self, team-mates, the role hierarchy below, or all. */
export const DATA_SCOPES = ['own', 'team', 'subordinates', 'all'] as const;
export type DataScope = (typeof DATA_SCOPES)[number];

export const OBJECT_PERMISSIONS = ['create', 'read', 'update', 'delete', 'viewAll', 'modifyAll', 'unmask'] as const;
export type ObjectPermission = (typeof OBJECT_PERMISSIONS)[number];

/** `hidden` on a field is an explicit deny; `read` and `edit` are grants. */
export type FieldAccess = 'hidden' | 'read' | 'edit';

/**
 * A role's rights on one object. Each permission is `true` (grant), `false` (explicit deny,
 * which beats any other role's grant) or absent (no grant).
 */
export type ObjectGrant = { [P in ObjectPermission]?: boolean } & {
  /** @default "own" */
  scope?: DataScope;
  /** Access to fields not listed in `fields`; `none` grants nothing (and denies nothing). @default "edit" */
  fieldDefault?: 'edit' | 'read' | 'none';
  fields?: Record<string, FieldAccess>;
};

export const ADMIN_PERMISSIONS = ['manageMetadata', 'manageUsers', 'manageTemplates', 'importData', 'exportData'] as const;
export type AdminPermission = (typeof ADMIN_PERMISSIONS)[number];

export interface RoleDef {
  /** API name, `snake_case`; `admin` is built in and cannot be defined. */
  name: string;
  label: Labels;
  description?: Labels;
  /** The role above this one: its holders reach the records of this role's holders with scope `subordinates`. */
  parent?: string;
  objects?: Record<string, ObjectGrant>;
  admin?: { [P in AdminPermission]?: boolean };
}

/** The built-in role: every permission on every object, every admin permission. Always present. */
export const BUILT_IN_ADMIN = 'admin';

/** Everything a tenant customises, as one document. Kinds are added here as they land. */
export interface MetadataBundle {
  objects: ObjectDef[];
  /** @default [] */
  roles?: RoleDef[];
  /** Templates installed into this metadata, and their versions. Managed by install/upgrade/uninstall. */
  templates?: InstalledTemplate[];
}

export interface InstalledTemplate {
  name: string;
  version: string;
}

/**
 * Platform-managed storage facts that travel with a published version but are not
 * edited by tenants: which generic index slot each declared index occupies.
 */
export interface StorageMap {
  indexSlots: Record<string, Record<string, number>>;
}

/** System fields every record has. Field definitions may not reuse these names. */
export const SYSTEM_FIELDS = ['id', 'version', 'owner', 'created_at', 'created_by', 'updated_at', 'updated_by'] as const;
export type SystemField = (typeof SYSTEM_FIELDS)[number];

export const API_NAME = /^[a-z][a-z0-9_]{0,39}$/;
