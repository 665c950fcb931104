import type { FieldTypeDef } from './FieldTypeDef';
import { textKey } from './encoding';
import { problemAt, rangeProblem, TEXT_OPS } from './shared';
import { unsafeRegexProblem } from './regexSafety';

export const text: FieldTypeDef<'text'> = {
  type: 'text',
  valueSchema: (f) => ({
    type: 'string',
    maxLength: f.maxLength ?? 255,
    ...(f.minLength !== undefined ? { minLength: f.minLength } : {}),
    ...(f.pattern !== undefined ? { pattern: f.pattern } : {}),
  }),
  normalize: (v) => String(v).trim(),
  indexKey: textKey,
  uniqueKey: textKey,
  check: (f, { path }) => {
    const problems = rangeProblem(path, f.minLength, f.maxLength, 'minLength', 'maxLength');
    const unsafe = f.pattern === undefined ? null : unsafeRegexProblem(f.pattern);
    if (unsafe) problems.push(problemAt(path, 'pattern', 'unsafePattern', unsafe));
    return problems;
  },
  writable: true,
  operators: TEXT_OPS,
  widget: 'input',
};
