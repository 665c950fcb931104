import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { Problem } from './errors';

/**
 * One factory for every ajv instance so options cannot drift between the metadata
 * validator and the record validators (and the browser, which uses the same engine).
 */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    discriminator: true,
    // Tenant patterns are screened by regexSafety; `u` keeps them Unicode-aware.
    unicodeRegExp: true,
    messages: true,
  });
  addFormats(ajv, { mode: 'full', keywords: true });
  return ajv;
}

/** ajv keyword → stable problem code. Keywords not listed keep their own name. */
const CODE_OF: Record<string, string> = {
  required: 'required',
  additionalProperties: 'unknownField',
  type: 'type',
  enum: 'enum',
  const: 'const',
  format: 'format',
  minimum: 'min',
  maximum: 'max',
  exclusiveMinimum: 'min',
  exclusiveMaximum: 'max',
  formatMinimum: 'min',
  formatMaximum: 'max',
  minLength: 'minLength',
  maxLength: 'maxLength',
  pattern: 'pattern',
  minItems: 'minItems',
  maxItems: 'maxItems',
  uniqueItems: 'duplicateItems',
  minProperties: 'required',
};

/**
 * ajv errors as problems at JSON Pointers. `required` and `additionalProperties` point at
 * the property concerned rather than its parent, which is where a form shows them.
 */
export function ajvProblems(errors: readonly ErrorObject[] | null | undefined, base = ''): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // oneOf/anyOf summaries repeat what their branches said.
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if' || e.keyword === 'discriminator' && !e.params) continue;
    let path = base + e.instancePath;
    const params: Record<string, unknown> = { ...e.params };
    if (e.keyword === 'required') path += '/' + escape(String(e.params.missingProperty));
    if (e.keyword === 'additionalProperties') path += '/' + escape(String(e.params.additionalProperty));
    const code = CODE_OF[e.keyword] ?? e.keyword;
    const key = `${path}|${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const message =
      e.keyword === 'additionalProperties' ? `unknown field "${String(e.params.additionalProperty)}"`
      : e.keyword === 'required' ? `${String(e.params.missingProperty)} is required`
      : e.keyword === 'type' ? `must be ${[e.params.type].flat().filter((t) => t !== 'null').join(' or ')}`
      : e.message ?? code;
    problems.push({ path, code, message, params });
  }
  return problems;
}

const escape = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * A validator compiled on first use, on one shared instance. Module start-up is a Lambda cold
 * start, and compiling is the expensive part of ajv; request validators should not pay it there.
 */
let shared: Ajv2020 | undefined;
export function lazyValidator(schema: object): (data: unknown) => Problem[] {
  let validate: ReturnType<Ajv2020['compile']> | undefined;
  return (data) => {
    validate ??= (shared ??= createAjv()).compile(schema);
    return validate(data) ? [] : ajvProblems(validate.errors);
  };
}
