import { jaroWinkler } from '@skyra/jaro-winkler';
import { fieldType } from '../fields';
import type { DuplicateConditionDef, DuplicateRuleDef, FieldDef, MetadataBundle } from '../metadata/types';
import { nameKeys, normalizeEmail, normalizeName, normalizePhone } from './normalize';

/*
 * Duplicate rules, compiled: for each record, the match keys it is found by (written beside
 * it in its own transaction, see store/keys.ts `matchKey`), and the comparison that decides
 * whether a candidate found through a key really matches. Every condition must hold.
 *
 * Similarity is Jaro-Winkler (`@skyra/jaro-winkler`: typed, dependency-free, 2 KB, compares
 * by code point so Chinese names work) over normalised names, and over their tokens sorted,
 * whichever is higher — so word order ("Trading Acme") does not defeat a match.
 */

export const DEFAULT_FUZZY_THRESHOLD = 0.9;
/** Separates the parts of a match key (never inside a normalised value: control characters are not letters or digits). */
const SEP = '\u0001';

export interface CompiledDuplicateRule {
  readonly def: DuplicateRuleDef;
  readonly name: string;
  readonly object: string;
  /**
   * Where the rule's match keys live: its name and a hash of its conditions. A changed rule
   * gets new keys (filled when it is published); the old ones are never read again.
   */
  readonly id: string;
  readonly action: 'block' | 'warn';
  /** Fields whose change can change the rule's keys. */
  readonly fields: readonly string[];
}

/** A record's key under one rule: an item in the rule's partition family (see store/keys.ts). */
export interface MatchKey {
  readonly rule: string;
  readonly key: string;
}

/** FNV-1a, 32 bits, as hex: the engine has no crypto module, and this only has to tell rule versions apart. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function compileDuplicateRules(bundle: MetadataBundle, object: string): CompiledDuplicateRule[] {
  return (bundle.duplicateRules ?? [])
    .filter((r) => r.object === object && r.active !== false)
    .map((def) => ({ def, name: def.name, object, id: `${def.name}@${hash(JSON.stringify(def.conditions))}`, action: def.action, fields: [...new Set(def.conditions.map((c) => c.field))] }));
}

/** One condition's normalised value, or null when the record does not take part (blank). */
function conditionValue(condition: DuplicateConditionDef, field: FieldDef | undefined, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  switch (condition.type) {
    case 'exact': {
      const key = field ? fieldType(field).uniqueKey : undefined;
      return key ? key(value, field as never) : String(value);
    }
    case 'phone':
      return normalizePhone(value, condition.defaultCountryCode);
    case 'email':
      return normalizeEmail(value, condition.ignorePlus === true);
    case 'fuzzyName': {
      const name = normalizeName(value);
      return name.text === '' ? null : name.text;
    }
  }
}

export type FieldLookup = (name: string) => FieldDef | undefined;

/**
 * The match keys of a record under a rule: the normalised values of its exact, phone and
 * e-mail conditions, joined — and with a fuzzy-name condition, one key per blocking key of
 * the name. A record blank in any condition's field has none.
 */
export function matchKeys(rule: CompiledDuplicateRule, fieldOf: FieldLookup, values: Readonly<Record<string, unknown>>): MatchKey[] {
  const parts: string[] = [];
  let fuzzy: string[] | null = null;
  for (const condition of rule.def.conditions) {
    const normalised = conditionValue(condition, fieldOf(condition.field), values[condition.field]);
    if (normalised === null) return [];
    if (condition.type === 'fuzzyName') {
      fuzzy = nameKeys(normalizeName(values[condition.field]));
      if (fuzzy.length === 0) return [];
    } else parts.push(`${condition.type[0]}${normalised}`);
  }
  const base = parts.join(SEP);
  const keys = fuzzy ? fuzzy.map((k) => `${base}${SEP}~${k}`) : [base];
  return keys.map((key) => ({ rule: rule.id, key }));
}

/** Keys of every rule for a record's values. */
export const allMatchKeys = (rules: readonly CompiledDuplicateRule[], fieldOf: FieldLookup, values: Readonly<Record<string, unknown>> | null): MatchKey[] =>
  values ? rules.flatMap((r) => matchKeys(r, fieldOf, values)) : [];

/** Name similarity, 0 to 1: Jaro-Winkler of the normalised names, or of their sorted tokens if higher. */
export function nameSimilarity(a: unknown, b: unknown): number {
  const x = normalizeName(a);
  const y = normalizeName(b);
  if (x.text === '' || y.text === '') return 0;
  if (x.text === y.text) return 1;
  const sorted = (n: typeof x) => [...n.tokens].sort().join(' ');
  return Math.max(jaroWinkler(x.text, y.text), jaroWinkler(sorted(x), sorted(y)));
}

/**
 * Whether `candidate` matches `record` under the rule, and how closely (1 for exact
 * conditions only; the name similarity otherwise). Null when it does not match.
 */
export function compareRecords(rule: CompiledDuplicateRule, fieldOf: FieldLookup, record: Readonly<Record<string, unknown>>, candidate: Readonly<Record<string, unknown>>): number | null {
  let score = 1;
  for (const condition of rule.def.conditions) {
    const field = fieldOf(condition.field);
    if (condition.type === 'fuzzyName') {
      const similarity = nameSimilarity(record[condition.field], candidate[condition.field]);
      if (similarity < (condition.threshold ?? DEFAULT_FUZZY_THRESHOLD)) return null;
      score = Math.min(score, similarity);
      continue;
    }
    const a = conditionValue(condition, field, record[condition.field]);
    if (a === null || a !== conditionValue(condition, field, candidate[condition.field])) return null;
  }
  return Math.round(score * 1000) / 1000;
}

/** Match keys a write adds and removes: only what differs, so an unchanged key is not touched twice in one transaction. */
export function matchKeyChanges(rules: readonly CompiledDuplicateRule[], fieldOf: FieldLookup, before: Readonly<Record<string, unknown>> | null, after: Readonly<Record<string, unknown>> | null): { add: MatchKey[]; remove: MatchKey[] } {
  const old = allMatchKeys(rules, fieldOf, before);
  const next = allMatchKeys(rules, fieldOf, after);
  const id = (k: MatchKey) => `${k.rule}${SEP}${k.key}`;
  const oldIds = new Set(old.map(id));
  const nextIds = new Set(next.map(id));
  return { add: next.filter((k) => !oldIds.has(id(k))), remove: old.filter((k) => !nextIds.has(id(k))) };
}
