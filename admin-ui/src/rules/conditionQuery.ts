/**
 * json-rules-engine conditions ⇄ react-querybuilder's query model, exactly.
 *
 * The console edits conditions with react-querybuilder, which has no json-rules-engine format
 * (see ../shared/TOOLCHAIN.md), so this converter owns the mapping. It is total and lossless:
 * `toJson(toQuery(x))` is `x` — same keys, same key order, same values — for every JSON value,
 * including shapes the builder cannot show as rows (those become one "JSON" row holding the
 * original). Property-tested in test/unit/conditionQuery.test.ts over every template condition
 * and generated trees.
 *
 * Mapping:
 * - `{all: [...]}` / `{any: [...]}` → a group with combinator `all` / `any`;
 * - `{not: {all|any: [...]}}` → that group with `not: true`;
 * - `{not: X}` for any other X → a `not` group holding X alone (`meta.single`);
 * - `{fact, path?, operator, value?, ...}` → a rule; `$previous` + `$.stage` is the field `$previous.stage`;
 *   a value `{fact: "start_date"}` is value source `field` with value `start_date`;
 * - a top-level test (no group around it) → a root group marked `bare`.
 * Keys json-rules-engine knows but the builder does not edit (`name`, `params`, `priority` …)
 * ride along in `meta` and come back in their original order.
 */
import type { RuleGroupType, RuleType } from 'react-querybuilder';

/** The field of a row that holds a condition the builder cannot show as a row: edited as JSON. */
export const RAW_FIELD = '$json';

interface RuleMeta {
  /** Keys of the original object, in order, for an exact write-back. */
  readonly keys?: readonly string[];
  /** Keys the builder does not edit, with their values. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** The original had no `value` key (invalid, but kept as it was until a value is set). */
  readonly noValue?: boolean;
  /** For a RAW_FIELD row: the original JSON and its text, so an unchanged text writes the original back. */
  readonly raw?: unknown;
  readonly rawText?: string;
}

interface GroupMeta {
  readonly keys?: readonly string[];
  readonly extra?: Readonly<Record<string, unknown>>;
  /** `{not: X}` where X is not an all/any group: the group shows X as its one row. */
  readonly single?: boolean;
  /** Keys and extras of the `{not: …}` wrapper itself. */
  readonly notKeys?: readonly string[];
  readonly notExtra?: Readonly<Record<string, unknown>>;
  /** The root stands for a top-level condition that is not a group. */
  readonly bare?: boolean;
  /** The root stands for absent (optional) conditions. */
  readonly absent?: boolean;
}

export type ConditionRule = RuleType<string, string, unknown> & { meta?: RuleMeta };
export type ConditionGroup = RuleGroupType<ConditionRule, string> & { meta?: GroupMeta };
export type ConditionNode = ConditionRule | ConditionGroup;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isGroup = (node: ConditionNode): node is ConditionGroup => 'rules' in node && Array.isArray((node as ConditionGroup).rules);

const GROUP_KEYS = ['all', 'any', 'not'] as const;
const RULE_KEYS = new Set(['fact', 'path', 'operator', 'value']);

/** `$previous` + `$.stage` → `$previous.stage`; a fact alone is its own key. */
export function fieldKey(fact: string, path?: string): string {
  return path === undefined ? fact : `${fact}${path.slice(1)}`;
}

/** The inverse of fieldKey: the first `.` splits the fact from its path. */
export function splitFieldKey(key: string): { fact: string; path?: string } {
  const dot = key.indexOf('.');
  return dot > 0 ? { fact: key.slice(0, dot), path: `$${key.slice(dot)}` } : { fact: key };
}

const extrasOf = (node: Record<string, unknown>, known: (k: string) => boolean) => {
  const extra = Object.fromEntries(Object.entries(node).filter(([k]) => !known(k)));
  return Object.keys(extra).length ? extra : undefined;
};

function rawRule(value: unknown): ConditionRule {
  const rawText = JSON.stringify(value, null, 1) ?? 'null';
  return { field: RAW_FIELD, operator: 'json', value: rawText, meta: { raw: value, rawText } };
}

/** A fact test the builder can show as a row, or null. */
function testRule(node: Record<string, unknown>): ConditionRule | null {
  const { fact, path, operator } = node;
  if (typeof fact !== 'string' || fact === '' || fact.includes('.') || fact === RAW_FIELD || typeof operator !== 'string') return null;
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('$.') || path.length < 3)) return null;
  if ('path' in node && path === undefined) return null;
  const hasValue = 'value' in node;
  const value = node.value;
  const factRef = isPlainObject(value) && Object.keys(value).length === 1 && typeof value.fact === 'string';
  const extra = extrasOf(node, (k) => RULE_KEYS.has(k));
  const meta: RuleMeta = { keys: Object.keys(node), ...(extra ? { extra } : {}), ...(hasValue ? {} : { noValue: true }) };
  return {
    field: fieldKey(fact, path as string | undefined),
    operator,
    value: factRef ? (value as { fact: string }).fact : value,
    ...(factRef ? { valueSource: 'field' as const } : {}),
    meta,
  };
}

/** `{all: [...]}` or `{any: [...]}` (with extras) as a group, or null. */
function plainGroup(node: Record<string, unknown>): ConditionGroup | null {
  const groups = GROUP_KEYS.filter((k) => k in node);
  if (groups.length !== 1 || 'fact' in node) return null;
  const combinator = groups[0]!;
  if (combinator === 'not' || !Array.isArray(node[combinator])) return null;
  const extra = extrasOf(node, (k) => k === combinator);
  return {
    combinator,
    rules: (node[combinator] as unknown[]).map(toNode),
    meta: { keys: Object.keys(node), ...(extra ? { extra } : {}) },
  };
}

/** One condition as a row or a group; anything else as a RAW_FIELD row. */
function toNode(node: unknown): ConditionNode {
  if (!isPlainObject(node)) return rawRule(node);
  const group = plainGroup(node);
  if (group) return group;
  const groups = GROUP_KEYS.filter((k) => k in node);
  if (groups.length === 1 && groups[0] === 'not' && !('fact' in node)) {
    const notExtra = extrasOf(node, (k) => k === 'not');
    const wrapper = { notKeys: Object.keys(node), ...(notExtra ? { notExtra } : {}) };
    const inner = isPlainObject(node.not) ? plainGroup(node.not) : null;
    if (inner) return { ...inner, not: true, meta: { ...inner.meta, ...wrapper } };
    return { combinator: 'all', not: true, rules: [toNode(node.not)], meta: { single: true, ...wrapper } };
  }
  if (groups.length === 0) {
    const rule = testRule(node);
    if (rule) return rule;
  }
  return rawRule(node);
}

/** Conditions as the builder's query. Absent conditions are an empty `all` group. */
export function toQuery(conditions: unknown): ConditionGroup {
  if (conditions === undefined) return { combinator: 'all', rules: [], meta: { absent: true } };
  const node = toNode(conditions);
  return isGroup(node) ? node : { combinator: 'all', rules: [node], meta: { bare: true } };
}

/** An object with keys in the original order first (those still present), then any new ones. */
function ordered(entries: Record<string, unknown>, keys: readonly string[] | undefined): Record<string, unknown> {
  if (!keys) return entries;
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: a key named `__proto__` is data here, never the prototype.
  const put = (k: string, v: unknown) => Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const k of keys) if (Object.hasOwn(entries, k)) put(k, entries[k]);
  for (const [k, v] of Object.entries(entries)) if (!Object.hasOwn(out, k)) put(k, v);
  return out;
}

function ruleToJson(rule: ConditionRule): unknown {
  const meta = rule.meta ?? {};
  if (rule.field === RAW_FIELD) {
    if (meta.rawText !== undefined && rule.value === meta.rawText) return meta.raw;
    try {
      return JSON.parse(String(rule.value));
    } catch {
      return meta.raw ?? null;
    }
  }
  const { fact, path } = splitFieldKey(rule.field);
  const entries: Record<string, unknown> = { fact };
  if (path !== undefined) entries.path = path;
  entries.operator = rule.operator;
  if (!(meta.noValue && rule.value === undefined)) entries.value = rule.valueSource === 'field' ? { fact: rule.value } : rule.value;
  return ordered({ ...entries, ...meta.extra }, meta.keys);
}

function groupToJson(group: ConditionGroup): unknown {
  const meta = group.meta ?? {};
  if (meta.bare && !group.not && group.rules.length === 1) return nodeToJson(group.rules[0]!);
  const inner = meta.single && group.not && group.rules.length === 1
    ? nodeToJson(group.rules[0]!)
    : ordered({ [group.combinator]: group.rules.map(nodeToJson), ...meta.extra }, meta.keys);
  return group.not ? ordered({ not: inner, ...meta.notExtra }, meta.notKeys) : inner;
}

const nodeToJson = (node: ConditionNode): unknown => (isGroup(node) ? groupToJson(node) : ruleToJson(node as ConditionRule));

/** The builder's query as json-rules-engine conditions. */
export function toJson(query: ConditionGroup): unknown {
  if (query.meta?.absent && query.rules.length === 0 && !query.not) return undefined;
  return groupToJson(query);
}

/** Optional conditions (an assignment entry, a webhook): absent ones left empty stay absent; an emptied group means none. */
export function optionalJson(query: ConditionGroup): unknown {
  return query.rules.length === 0 && !query.not ? undefined : toJson(query);
}

/**
 * Where each row and group of a query is in the JSON `toJson` writes: RQB path (`0-2`) →
 * JSON Pointer relative to the conditions (`/all/0/any/2`). Problems found at a pointer are
 * shown at the row whose pointer is the longest prefix of it.
 */
export function nodePointers(query: ConditionGroup): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (group: ConditionGroup, path: number[], pointer: string) => {
    out.set(path.join('-'), pointer);
    const meta = group.meta ?? {};
    const bare = path.length === 0 && meta.bare && !group.not && group.rules.length === 1;
    const single = meta.single && group.not && group.rules.length === 1;
    group.rules.forEach((child, i) => {
      const at = bare ? pointer : single ? `${pointer}/not` : `${pointer}${group.not ? '/not' : ''}/${group.combinator}/${i}`;
      if (isGroup(child)) walk(child, [...path, i], at);
      else out.set([...path, i].join('-'), at);
    });
  };
  walk(query, [], '');
  return out;
}

export interface NodeProblem {
  readonly pointer: string;
  readonly message: string;
  readonly code?: string;
}

/**
 * Problems by RQB path (`0-2`, root `''`): each at the deepest row or group whose pointer
 * starts it. `relative` are problem pointers relative to the conditions.
 */
export function problemsByNode(query: ConditionGroup, problems: readonly NodeProblem[]): Map<string, NodeProblem[]> {
  const pointers = [...nodePointers(query)].sort((a, b) => b[1].length - a[1].length);
  const out = new Map<string, NodeProblem[]>();
  for (const p of problems) {
    const hit = pointers.find(([, ptr]) => p.pointer === ptr || p.pointer.startsWith(`${ptr}/`)) ?? ['', ''];
    const rest = p.pointer.slice(hit[1].length);
    // A problem below a row (`/value`, `/operator`) belongs to that row; one about a group's list, to the group.
    out.set(hit[0], [...(out.get(hit[0]) ?? []), { ...p, pointer: rest }]);
  }
  return out;
}
