import type { Problem } from '../errors';
import type { FieldOf, FieldType, MetadataBundle, ObjectDef } from '../metadata/types';

/** A JSON Schema fragment (2020-12). Kept loose on purpose: ajv checks it. */
export type JsonSchema = Record<string, unknown>;

export const FILTER_OPS = ['eq', 'ne', 'in', 'lt', 'lte', 'gt', 'gte', 'between', 'startsWith', 'isBlank'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface FieldCheckContext {
  readonly bundle: MetadataBundle;
  readonly object: ObjectDef;
  /** JSON Pointer of the field definition. */
  readonly path: string;
}

/** Everything the platform knows about one field type. One file per type, registry in `index.ts`. */
export interface FieldTypeDef<T extends FieldType> {
  readonly type: T;
  /** JSON Schema of one non-null value, used on the server (ajv) and in generated forms. */
  valueSchema(field: FieldOf<T>): JsonSchema;
  /** Canonical stored form of a value that passed `valueSchema` (e.g. rounding to scale). */
  normalize?(value: unknown, field: FieldOf<T>): unknown;
  /**
   * Order-preserving string for index sort keys: `a < b` as values ⇔ `enc(a) < enc(b)` as
   * UTF-8 byte strings (DynamoDB's order). Absent when the type cannot be indexed.
   */
  indexKey?(value: unknown, field: FieldOf<T>): string;
  /** Normalised value for unique guards (two values collide ⇔ keys are equal). Absent: cannot be unique. */
  uniqueKey?(value: unknown, field: FieldOf<T>): string;
  /** Semantic checks of a definition, beyond its meta-schema. */
  check?(field: FieldOf<T>, ctx: FieldCheckContext): Problem[];
  /** Default value to store when a create omits the field (resolves tokens such as `today`). */
  /** A default that depends on the clock (`today`, `now`); `timeZone` is the tenant's, in which a day is read. */
  resolveDefault?(field: FieldOf<T>, now: Date, timeZone?: string): unknown;
  /** False for values the platform generates (auto-number): a write naming the field is refused. */
  readonly writable: boolean;
  /** Filter operators offered for this type (served by an index or as a bounded residual filter). */
  readonly operators: readonly FilterOp[];
  /** Widget hint for generated forms. */
  readonly widget: string;
}
