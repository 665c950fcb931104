/**
 * The formula language's types and functions. Each function declares how it types its
 * arguments (checked when metadata is validated) and how it runs (on evaluation). Blank
 * is `null`: most functions return blank for blank input, as spreadsheets do.
 */
import { dayIn } from '../time/tenantDay';

export type FormulaType = 'number' | 'text' | 'date' | 'datetime' | 'boolean' | 'any';
export type Value = number | string | boolean | null;

export interface FunctionDef {
  /** Result type for the argument types, or an error message. */
  readonly type: (args: readonly FormulaType[]) => FormulaType | string;
  /** `timeZone`: the tenant's, in which TODAY() is a day. */
  readonly run: (args: readonly Value[], now: Date, timeZone: string) => Value;
  /** Depends on the clock: formulas using it are computed on read, never stored. */
  readonly volatile?: boolean;
}

const DAY_MS = 86_400_000;
const isBlank = (v: Value) => v === null || v === '';
const num = (v: Value) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const toDay = (v: Value): number | null => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v.slice(0, 10)) : null);
const fromDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const exactly = (n: number, types: readonly FormulaType[][], result: FormulaType | ((args: readonly FormulaType[]) => FormulaType)) => (args: readonly FormulaType[]) => {
  if (args.length !== n) return `takes ${n} argument${n === 1 ? '' : 's'}`;
  for (let i = 0; i < n; i++) if (args[i] !== 'any' && !types[i]!.includes(args[i]!)) return `argument ${i + 1} must be ${types[i]!.join(' or ')}, not ${args[i]}`;
  return typeof result === 'function' ? result(args) : result;
};
const variadic = (min: number, allowed: readonly FormulaType[], result: FormulaType) => (args: readonly FormulaType[]) => {
  if (args.length < min) return `takes at least ${min} arguments`;
  const bad = args.findIndex((a) => a !== 'any' && !allowed.includes(a));
  return bad >= 0 ? `argument ${bad + 1} must be ${allowed.join(' or ')}, not ${args[bad]}` : result;
};
const ALL: FormulaType[] = ['number', 'text', 'date', 'datetime', 'boolean'];
const unify = (a: FormulaType, b: FormulaType): FormulaType | string => (a === 'any' ? b : b === 'any' || a === b ? a : `branches differ: ${a} and ${b}`);

export const FUNCTIONS: Readonly<Record<string, FunctionDef>> = {
  IF: {
    type: (args) => (args.length !== 3 ? 'takes 3 arguments' : args[0] !== 'boolean' && args[0] !== 'any' ? 'the condition must be boolean' : unify(args[1]!, args[2]!)),
    run: ([c, a, b]) => (c === true ? a! : b!),
  },
  AND: { type: variadic(1, ['boolean'], 'boolean'), run: (args) => args.every((a) => a === true) },
  OR: { type: variadic(1, ['boolean'], 'boolean'), run: (args) => args.some((a) => a === true) },
  NOT: { type: exactly(1, [['boolean']], 'boolean'), run: ([a]) => a !== true },
  ISBLANK: { type: exactly(1, [ALL], 'boolean'), run: ([a]) => isBlank(a!) },
  BLANKVALUE: { type: (args) => (args.length !== 2 ? 'takes 2 arguments' : unify(args[0]!, args[1]!)), run: ([a, b]) => (isBlank(a!) ? b! : a!) },
  TODAY: { type: exactly(0, [], 'date'), run: (_, now, timeZone) => dayIn(now, timeZone), volatile: true },
  NOW: { type: exactly(0, [], 'datetime'), run: (_, now) => now.toISOString(), volatile: true },
  DATEDIFF: {
    type: exactly(2, [['date', 'datetime'], ['date', 'datetime']], 'number'),
    run: ([a, b]) => {
      const [x, y] = [toDay(a!), toDay(b!)];
      return x === null || y === null ? null : Math.round((y - x) / DAY_MS);
    },
  },
  ADDDAYS: {
    type: exactly(2, [['date'], ['number']], 'date'),
    run: ([d, n]) => {
      const x = toDay(d!);
      return x === null || num(n!) === null ? null : fromDay(x + Math.trunc(n as number) * DAY_MS);
    },
  },
  YEAR: { type: exactly(1, [['date', 'datetime']], 'number'), run: ([d]) => (toDay(d!) === null ? null : Number(String(d).slice(0, 4))) },
  MONTH: { type: exactly(1, [['date', 'datetime']], 'number'), run: ([d]) => (toDay(d!) === null ? null : Number(String(d).slice(5, 7))) },
  DAY: { type: exactly(1, [['date', 'datetime']], 'number'), run: ([d]) => (toDay(d!) === null ? null : Number(String(d).slice(8, 10))) },
  ROUND: {
    type: (args) => (args.length < 1 || args.length > 2 ? 'takes 1 or 2 arguments' : args.some((a) => a !== 'number' && a !== 'any') ? 'arguments must be numbers' : 'number'),
    run: ([x, d]) => {
      if (num(x!) === null) return null;
      const f = 10 ** (num(d ?? 0) ?? 0);
      return Math.round((x as number) * f + Number.EPSILON * Math.sign(x as number)) / f;
    },
  },
  ABS: { type: exactly(1, [['number']], 'number'), run: ([x]) => (num(x!) === null ? null : Math.abs(x as number)) },
  MIN: { type: variadic(1, ['number'], 'number'), run: (args) => (args.some((a) => num(a) === null) ? null : Math.min(...(args as number[]))) },
  MAX: { type: variadic(1, ['number'], 'number'), run: (args) => (args.some((a) => num(a) === null) ? null : Math.max(...(args as number[]))) },
  CONCAT: { type: variadic(1, ALL, 'text'), run: (args) => args.map((a) => (a === null ? '' : String(a))).join('') },
  TEXT: { type: exactly(1, [ALL], 'text'), run: ([a]) => (a === null ? null : String(a)) },
  LEN: { type: exactly(1, [['text']], 'number'), run: ([a]) => (a === null ? 0 : String(a).length) },
  UPPER: { type: exactly(1, [['text']], 'text'), run: ([a]) => (a === null ? null : String(a).toUpperCase()) },
  LOWER: { type: exactly(1, [['text']], 'text'), run: ([a]) => (a === null ? null : String(a).toLowerCase()) },
  CONTAINS: { type: exactly(2, [['text'], ['text']], 'boolean'), run: ([a, b]) => a !== null && b !== null && String(a).includes(String(b)) },
};
