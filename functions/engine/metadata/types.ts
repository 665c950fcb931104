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
  /**
   * `master-detail`: the record belongs to its master — the lookup must be required and
   * indexed, deleting the master deletes it (cascade), and its owner is always the master's
   * owner (set on create and re-parent, cascaded when the master's owner changes), so access
   * to it follows the master through the ordinary owner-based scopes. An object has at most
   * two master-detail lookups; the first is its primary master, whose owner it takes.
   * @default "lookup"
   */
  relationship?: 'lookup' | 'master-detail';
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
  /**
   * Record types: each names the picklist values its records may take and the layout its
   * forms use. Records carry theirs in the platform field `record_type` (blank: the default type).
   * @default []
   */
  recordTypes?: RecordTypeDef[];
  /** Page layouts: sections of fields in columns, and related lists. @default [] */
  layouts?: LayoutDef[];
  /**
   * A junction object: it links records of two objects (many-to-many) through its two
   * master-detail lookups, named here (the first is the primary master). The platform keeps
   * each pair linked at most once and serves link and related-list endpoints on both sides.
   */
  junction?: { between: [string, string] };
}

export interface RecordTypeDef {
  /** API name, unique within the object. */
  name: string;
  label: Labels;
  description?: Labels;
  /** The type a record gets when a create names none (and that records with none are). Exactly one type is the default. @default false */
  default?: boolean;
  /** Inactive types stay on records that have them but cannot be chosen anew. @default true */
  active?: boolean;
  /** Per picklist or multi-picklist field: the values records of this type may take. Fields not listed allow all their values. */
  picklistValues?: Record<string, string[]>;
  /** The layout its forms use (a name from the object's `layouts`). */
  layout?: string;
}

export interface LayoutSectionDef {
  label: Labels;
  /** One to four columns, each a list of field names shown top to bottom. */
  columns: string[][];
}

export interface LayoutRelatedListDef {
  /** `<object>` or `<object>.<lookup>` of a child that looks up to this object, or a junction object. */
  relation: string;
  /** Columns shown; fields of the related object. @default its name field */
  fields?: string[];
}

export interface LayoutDef {
  /** API name, unique within the object. */
  name: string;
  label: Labels;
  sections: LayoutSectionDef[];
  /** @default [] */
  relatedLists?: LayoutRelatedListDef[];
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
  /** Duplicate rules: how records of an object are matched, and whether a save is blocked or warned. @default [] */
  duplicateRules?: DuplicateRuleDef[];
  /** @default [] */
  validationRules?: ValidationRuleDef[];
  /** At most one set per object. @default [] */
  assignmentRules?: AssignmentRuleSetDef[];
  /** @default [] */
  automationRules?: AutomationRuleDef[];
  /** @default [] */
  webhooks?: WebhookDef[];
  /** State machines on picklist fields; at most one per object. @default [] */
  workflows?: WorkflowDef[];
  /** Approval processes; an object may have several (the first whose entry conditions hold is used). @default [] */
  approvalProcesses?: ApprovalProcessDef[];
  /** Lead conversions: what a record of an object turns into (account, contact, opportunity). At most one per object. @default [] */
  conversions?: ConversionDef[];
  /** Grouped aggregates drawn as charts, run through the reports API with the caller's permissions. @default [] */
  reports?: ReportDef[];
  /** Ordered report tiles shown to some roles. @default [] */
  dashboards?: DashboardDef[];
  settings?: TenantSettings;
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

/*
 * Rules. Every condition is json-rules-engine JSON over these facts:
 * - each field name: the record's value after the change (before it, on delete);
 * - `$previous`: the values before the change (`{}` on create), read with `path: "$.field"`;
 * - `$changed`: the names of the fields the change touches (operator `contains`);
 * - `$user`: the acting user `{ id, roles, teams }`, read with a path;
 * - `$event`: `created`, `updated`, `deleted` or `timer`;
 * - `$now` (ISO instant) and `$today` (YYYY-MM-DD in the tenant's time zone).
 * See `engine/rules/conditions.ts` for the operators and how each fits a field type.
 */

/** Blocks a save while its conditions hold (as Salesforce's error-condition formulas). */
export interface ValidationRuleDef {
  /** API name, unique among validation rules. */
  name: string;
  object: string;
  /** @default true */
  active?: boolean;
  description?: Labels;
  conditions: RuleConditions;
  message: Labels;
  /** The field the message belongs to; absent: the record as a whole. */
  field?: string;
  /** Roles (an integration key acts as its role) this rule does not stop. */
  bypassRoles?: string[];
}

/** Who an assignment gives a record to. */
export type AssigneeDef =
  | { type: 'user'; user: string }
  /** The record is owned by the team (as a queue) until a member takes it. */
  | { type: 'queue'; team: string }
  /** In turn over the active members of a role or a team, fair under concurrency. */
  | { type: 'roundRobin'; role?: string; team?: string }
  /** The active member of a role or team owning the fewest open records of the object. */
  | { type: 'leastLoaded'; role?: string; team?: string; open?: RuleConditions }
  /** The manager of the record's current owner (an escalation). */
  | { type: 'ownerManager' };

export interface AssignmentEntryDef {
  name: string;
  /** Absent: always matches. */
  conditions?: RuleConditions;
  assignee: AssigneeDef;
}

/** Ordered entries for one object; the first whose conditions hold assigns the record. */
export interface AssignmentRuleSetDef {
  object: string;
  /** @default true */
  active?: boolean;
  /** Apply on create (the caller's explicit owner wins unless `override`). @default true */
  onCreate?: boolean;
  entries: AssignmentEntryDef[];
}

/** A value an action writes: a literal, another field of the triggering record, or a computed time. */
export type ActionValue =
  | { value: unknown }
  | { field: string }
  | { now: true; offset?: DurationDef };

export interface DurationDef {
  days?: number;
  hours?: number;
  minutes?: number;
  /** Counted in the tenant's business hours instead of wall-clock time. @default false */
  business?: boolean;
}

export type AutomationActionDef =
  | { type: 'setField'; field: string; to: ActionValue }
  | { type: 'assign'; assignee: AssigneeDef }
  | { type: 'createRecord'; object: string; values: Record<string, ActionValue> }
  | { type: 'notify'; to: Array<{ user: string } | { role: string } | { owner: true } | { ownerManager: true }>; message: Labels }
  | { type: 'webhook'; webhook: string }
  /** Performs a transition of the object's workflow (guards and required fields apply; roles do not). */
  | { type: 'transition'; transition: string };

export type AutomationTriggerDef =
  | { on: 'created' | 'updated' | 'createdOrUpdated' | 'deleted'; fields?: string[] }
  /** Fires at a time relative to a date or datetime field (or to the creation), e.g. 3 days before `close_date`. */
  | { on: 'time'; field: string; offset: DurationDef & { before?: boolean } };

export interface AutomationRuleDef {
  name: string;
  object: string;
  /** @default true */
  active?: boolean;
  description?: Labels;
  trigger: AutomationTriggerDef;
  conditions?: RuleConditions;
  /**
   * `before`: inside the save, its changes part of the same write (setField and assign only).
   * `after`: from the table's stream, at least once, each action's effect applied once.
   * @default "after"
   */
  timing?: 'before' | 'after';
  actions: AutomationActionDef[];
}

export const WEBHOOK_EVENTS = ['created', 'updated', 'deleted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookDef {
  name: string;
  object: string;
  events: WebhookEvent[];
  conditions?: RuleConditions;
  /** https, or http to a host in `settings.webhooks.allowHosts`. */
  url: string;
  /** @default true */
  active?: boolean;
}

/**
 * One way two records of an object can be the same: every condition must hold. Candidates
 * are found through match keys kept beside each record (never a Scan); `fuzzyName` compares
 * names by Jaro-Winkler similarity over normalised tokens.
 */
export type DuplicateConditionDef =
  /** The same value, as the field's unique key compares it (text case-insensitively). */
  | { type: 'exact'; field: string }
  /** The same phone number: digits only, a leading trunk 0 dropped, the country code added when missing. */
  | { type: 'phone'; field: string; /** Country calling code for numbers without one, e.g. `"86"`. */ defaultCountryCode?: string }
  /** The same e-mail address, case-insensitively; `ignorePlus` drops `+tag` (and dots for Gmail) at providers known to ignore them. */
  | { type: 'email'; field: string; ignorePlus?: boolean }
  /** Names alike: normalised (case, width, punctuation, legal suffixes such as Ltd or 有限公司), sharing a token, Jaro-Winkler similarity ≥ threshold. */
  | { type: 'fuzzyName'; field: string; /** @default 0.9 */ threshold?: number };

export interface DuplicateRuleDef {
  /** API name, unique among duplicate rules. */
  name: string;
  object: string;
  label?: Labels;
  /** @default true */
  active?: boolean;
  /** `block` refuses the save (409, with the matching records the caller may see); `warn` saves and names them. */
  action: 'block' | 'warn';
  /** All must hold; at most one `fuzzyName`. */
  conditions: DuplicateConditionDef[];
  /** Roles a `block` rule lets through (their saves are warned instead). */
  bypassRoles?: string[];
}

export interface BusinessHoursDef {
  /** IANA zone, e.g. `Asia/Shanghai`. */
  timeZone: string;
  /** Working hours per ISO weekday (1 = Monday … 7 = Sunday), as `HH:MM` pairs; absent days are off. */
  week: Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', Array<[string, string]>>>;
  /** Days off (`YYYY-MM-DD`) in the zone. */
  holidays?: string[];
}

export interface TenantSettings {
  /** IANA zone reports bucket dates and times in (a month is the tenant's month). @default businessHours.timeZone, else "UTC" */
  timeZone?: string;
  businessHours?: BusinessHoursDef;
  webhooks?: {
    /** Hosts (`host` or `host:port`) webhooks may reach over http or at private, loopback or link-local addresses — for local development. */
    allowHosts?: string[];
  };
}

/*
 * Workflows and approvals. A workflow is a state machine on a picklist field: the field
 * changes only through its transitions (administrators may still set it directly, to repair
 * data). An approval process routes a record through ordered steps of approvers while the
 * record is locked. Both run their actions through the same write pipeline as everything else.
 */

export const STATE_CATEGORIES = ['open', 'won', 'lost', 'closed'] as const;
export type StateCategory = (typeof STATE_CATEGORIES)[number];

/** A service level in a state: when a record has been in the state this long (and `conditions` hold), the actions run. */
export interface SlaDef {
  /** API name, unique within the state. */
  name: string;
  /** Time allowed in the state, counted from entering it (business hours with `business: true`). */
  after: DurationDef;
  conditions?: RuleConditions;
  /** The same actions as automation rules (after save: notify, assign, setField, createRecord, webhook, transition). */
  actions: AutomationActionDef[];
}

export interface WorkflowStateDef {
  /** The picklist value this state is. */
  name: string;
  category: StateCategory;
  /** Win probability in this state, 0–100 (written into the workflow's `probabilityField` on entering). */
  probability?: number;
  /** `#rrggbb`; boards use it before the option's own colour. */
  color?: string;
  /** Fields that must have a value before a record enters this state. */
  requiredFields?: string[];
  sla?: SlaDef[];
}

export interface TransitionGuardDef {
  conditions: RuleConditions;
  /** Why the transition is not available while the conditions do not hold. */
  message: Labels;
}

export interface TransitionDef {
  /** API name, unique within the workflow: `POST …/transitions/{name}`. */
  name: string;
  label?: Labels;
  /** States the transition leaves; `"*"` for any state. */
  from: string[];
  to: string;
  /** Roles that may perform it (the built-in admin always may). Absent: whoever may update the record. */
  roles?: string[];
  /** Every guard must hold; each failing one is a reason the transition is not available. */
  guards?: TransitionGuardDef[];
  /** Fields that must have a value for this transition (besides the target state's own). */
  requiredFields?: string[];
  /**
   * `false`: only automation, SLAs and approval processes perform it, never a person's request.
   * @default true
   */
  manual?: boolean;
  /** setField and assign join the transition's own write; the others run after save, from the stream. */
  actions?: AutomationActionDef[];
}

export interface WorkflowDef {
  /** API name, unique among workflows. */
  name: string;
  object: string;
  /** The picklist field whose values are the states. */
  field: string;
  label?: Labels;
  description?: Labels;
  /** @default true */
  active?: boolean;
  /** States a record may be created in. @default the field's default (else the first state) */
  initial?: string[];
  /** A number or percent field set to a state's `probability` when a record enters it. */
  probabilityField?: string;
  /** The currency or number field funnels sum. */
  amountField?: string;
  states: WorkflowStateDef[];
  transitions: TransitionDef[];
}

/** Who approves a step: a user (id or e-mail), every active holder of a role, or the submitter's manager (`level` 2: the manager's manager). */
export type ApproverDef = { type: 'user'; user: string } | { type: 'role'; role: string } | { type: 'manager'; level?: number };

export interface ApprovalStepDef {
  /** API name, unique within the process (a rejection can send a request back to it). */
  name: string;
  label?: Labels;
  /** The step applies only while these hold; otherwise it is skipped. */
  conditions?: RuleConditions;
  approvers: ApproverDef[];
  /** `all`: every approver must approve; `first`: the first response decides. @default "first" */
  mode?: 'all' | 'first';
}

export interface ApprovalProcessDef {
  name: string;
  object: string;
  label?: Labels;
  description?: Labels;
  /** @default true */
  active?: boolean;
  /** A record may be submitted only while these hold. */
  entryConditions?: RuleConditions;
  /** Roles that may submit; absent: whoever may update the record. */
  submitterRoles?: string[];
  /** The record is locked against edits while pending (administrators excepted). @default true */
  lock?: boolean;
  /** The submitter may recall a pending request. @default true */
  allowRecall?: boolean;
  steps: ApprovalStepDef[];
  /** Actions when submitted, finally approved, finally rejected, recalled: setField, assign and transition join the write; the others run after save. */
  onSubmit?: AutomationActionDef[];
  onApprove?: AutomationActionDef[];
  onReject?: AutomationActionDef[];
  onRecall?: AutomationActionDef[];
}

/** One record a conversion creates (or the caller attaches instead), and how the source's values fill it. */
export interface ConversionTargetDef {
  /** The object of the records this target creates or attaches. */
  object: string;
  /** The source's lookup to this target's object that keeps the record created or attached. */
  link: string;
  /** This target's lookup to the account target's object, filled with the account converted to (contact and opportunity only). */
  accountField?: string;
  /** This target's lookup back to the source object, filled with the converted record. */
  sourceField?: string;
  /** Source field → target field; types must be compatible (checked at publish). Blank source values are left out. @default [] */
  map?: Array<{ from: string; to: string }>;
  /** Values set on a new record besides the mapped ones: a literal, a source field, or a time from now (a close date 30 days out). */
  set?: Record<string, ActionValue>;
}

/**
 * How a record of `object` (a lead) is converted: the records it becomes, in one transaction
 * with the source marked converted (then read-only). Writes go through the one write pipeline.
 */
export interface ConversionDef {
  /** API name, unique among conversions. */
  name: string;
  /** The source object (a lead). */
  object: string;
  label?: Labels;
  /** The source's picklist field and the value that marks it converted. */
  status: { field: string; value: string };
  /** A date or datetime field of the source stamped with the time of conversion. */
  convertedAt?: string;
  account: ConversionTargetDef;
  contact: ConversionTargetDef;
  /** Created unless the caller says not to. */
  opportunity?: ConversionTargetDef;
}

/** The targets of a conversion, in the order they are created (the account first: the others point at it). */
export const CONVERSION_TARGETS = ['account', 'contact', 'opportunity'] as const;
export type ConversionTarget = (typeof CONVERSION_TARGETS)[number];

/*
 * Reports and dashboards (`metadata/schema/report.schema.json`). A report runs as the
 * aggregate API does, as the caller: records they cannot see are not counted, and a report
 * that groups, sums or filters by a field hidden from them is refused.
 */

/** One filter of the list filter language (`filter[field][op]=value`). */
export interface ReportFilterDef {
  field: string;
  op: 'eq' | 'ne' | 'in' | 'lt' | 'lte' | 'gt' | 'gte' | 'between' | 'startsWith' | 'isBlank';
  /** As the query string carries it: `a,b` for `in` and `between`, `true`/`false` for `isBlank`. */
  value: string;
}

export interface ReportGroupingDef {
  /** A picklist, boolean, user, lookup or text field, `owner`, or a date or datetime field (with `unit`). */
  field: string;
  /** Required for a date or datetime field; read in the tenant's zone. */
  unit?: 'day' | 'week' | 'month' | 'quarter' | 'year';
}

export type ReportMeasureDef = { fn: 'count' } | { fn: 'sum' | 'avg' | 'min' | 'max'; field: string };

export type ChartType = 'bar' | 'column' | 'line' | 'pie' | 'funnel' | 'table';

export interface ReportDef {
  /** API name, unique among reports: `GET /api/reports/{name}/run`. */
  name: string;
  label: Labels;
  description?: Labels;
  object: string;
  /** @default [] */
  filters?: ReportFilterDef[];
  /** One or two; the second splits each bar or point into series (e.g. month × stage). */
  groupings: ReportGroupingDef[];
  /** The first measure is what the chart draws; the others show in its table. */
  measures: ReportMeasureDef[];
  chart: ChartType;
}

export interface DashboardTileDef {
  report: string;
  /** @default the report's label */
  title?: Labels;
  /** @default "half" */
  width?: 'half' | 'full';
}

export interface DashboardDef {
  name: string;
  label: Labels;
  description?: Labels;
  /** Roles it is shown to; absent: everyone. Each tile still runs with the viewer's permissions. */
  roles?: string[];
  tiles: DashboardTileDef[];
}
