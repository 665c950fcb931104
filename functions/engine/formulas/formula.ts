import jsep from 'jsep';
import type { Expression } from 'jsep';
import { FUNCTIONS } from './functions';
import type { FormulaType, Value } from './functions';

/*
 * Formulas are parsed by jsep (a well-kept expression parser that returns an AST and never
 * evaluates anything) and interpreted by the small tree walker below over a closed set of
 * node types: no eval, no `new Function`, no property access beyond the record's own fields.
 */

/** What a formula may read: field name → its formula type. */
export type Scope = ReadonlyMap<string, FormulaType>;

/**
 * Types a parent path such as `["account", "industry"]` (a lookup, then a field of its target,
 * at most MAX_PARENT_DEPTH lookups deep), or throws FormulaError saying what is wrong.
 * Absent: the formula may read only the record's own fields.
 */
export type ParentResolver = (path: readonly string[]) => FormulaType;

/** Lookups a formula may follow: `account.owner_region` is one, `account.parent.industry` two. */
export const MAX_PARENT_DEPTH = 2;

export interface CheckedFormula {
  readonly ast: Expression;
  readonly type: FormulaType;
  /** Fields the formula reads (for a parent path, its first lookup). */
  readonly fields: ReadonlySet<string>;
  /** Parent paths it reads, dotted (`account.industry`): such a formula depends on other records and is computed on read. */
  readonly paths: ReadonlySet<string>;
  /** True when it calls TODAY() or NOW(): computed on read, never stored or indexed. */
  readonly volatile: boolean;
}

export class FormulaError extends Error {
  /** Stable problem code: `formula`, or what is wrong with a parent path (`unknownLookup`, `unknownParentField`, `depthExceeded`). */
  constructor(
    message: string,
    readonly code: string = 'formula',
  ) {
    super(message);
  }
}

/** `account.parent.industry` as `["account", "parent", "industry"]`; null for anything but plain dotted names. */
export function memberPath(node: Expression): string[] | null {
  if (node.type === 'Identifier') return [String(node.name)];
  if (node.type !== 'MemberExpression' || node.computed || (node.property as Expression).type !== 'Identifier') return null;
  const head = memberPath(node.object as Expression);
  return head ? [...head, String((node.property as Expression).name)] : null;
}

const ARITHMETIC = new Set(['+', '-', '*', '/']);
const COMPARISON = new Set(['==', '!=', '<', '<=', '>', '>=']);
/** Expressions longer than this are refused: a formula is a line, not a program. */
export const MAX_FORMULA_LENGTH = 2000;

export function parseFormula(source: string): Expression {
  if (source.length > MAX_FORMULA_LENGTH) throw new FormulaError(`a formula has at most ${MAX_FORMULA_LENGTH} characters`);
  try {
    return jsep(source);
  } catch (error) {
    throw new FormulaError(`cannot parse: ${(error as Error).message}`);
  }
}

/** Parses and type-checks a formula against the fields it may read. Throws FormulaError with the reason. */
export function checkFormula(source: string, scope: Scope, parents?: ParentResolver): CheckedFormula {
  const ast = parseFormula(source);
  const fields = new Set<string>();
  const paths = new Set<string>();
  let volatile = false;
  const typeOf = (node: Expression): FormulaType => {
    switch (node.type) {
      case 'Literal': {
        const v = node.value;
        if (v === null) return 'any';
        if (typeof v === 'number') return 'number';
        if (typeof v === 'string') return 'text';
        if (typeof v === 'boolean') return 'boolean';
        throw new FormulaError(`unsupported literal ${String(node.raw)}`);
      }
      case 'Identifier': {
        const name = String(node.name);
        if (name === 'true' || name === 'false') return 'boolean';
        const t = scope.get(name);
        if (!t) throw new FormulaError(`unknown field "${name}"`);
        fields.add(name);
        return t;
      }
      case 'UnaryExpression': {
        const t = typeOf(node.argument as Expression);
        if (node.operator === '!') return expect(t, 'boolean', '!');
        if (node.operator === '-' || node.operator === '+') return expect(t, 'number', String(node.operator));
        throw new FormulaError(`unsupported operator ${String(node.operator)}`);
      }
      case 'BinaryExpression':
      case 'LogicalExpression': {
        const op = String(node.operator);
        const [l, r] = [typeOf(node.left as Expression), typeOf(node.right as Expression)];
        if (op === '&&' || op === '||') return expect(expect(l, 'boolean', op) && r, 'boolean', op);
        if (op === '+' && (l === 'text' || r === 'text')) return 'text';
        if (ARITHMETIC.has(op)) {
          expect(l, 'number', op);
          return expect(r, 'number', op);
        }
        if (COMPARISON.has(op)) {
          if (l !== r && l !== 'any' && r !== 'any') throw new FormulaError(`${op} compares ${l} with ${r}`);
          return 'boolean';
        }
        throw new FormulaError(`unsupported operator ${op}`);
      }
      case 'CallExpression': {
        const callee = node.callee as Expression;
        const name = callee.type === 'Identifier' ? String(callee.name).toUpperCase() : '';
        const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
        if (!fn) throw new FormulaError(`unknown function ${callee.type === 'Identifier' ? String(callee.name) : '(expression)'}()`);
        if (fn.volatile) volatile = true;
        const result = fn.type((node.arguments as Expression[]).map(typeOf));
        if (!['number', 'text', 'date', 'datetime', 'boolean', 'any'].includes(result)) throw new FormulaError(`${name}(): ${result}`);
        return result as FormulaType;
      }
      case 'MemberExpression': {
        const path = memberPath(node);
        if (!path) throw new FormulaError('a parent field is written lookup.field, with plain names');
        if (!parents) throw new FormulaError(`${path.join('.')}: formulas here read only the record's own fields`);
        const t = parents(path);
        fields.add(path[0]!);
        paths.add(path.join('.'));
        return t;
      }
      case 'ConditionalExpression':
        throw new FormulaError('use IF(condition, then, else)');
      default:
        throw new FormulaError(`unsupported expression (${node.type})`);
    }
  };
  const type = typeOf(ast);
  return { ast, type, fields, paths, volatile };
}

function expect(actual: FormulaType, wanted: FormulaType, op: string): FormulaType {
  if (actual !== wanted && actual !== 'any') throw new FormulaError(`${op} needs ${wanted}, not ${actual}`);
  return wanted;
}

/**
 * Evaluates a checked formula over a record's values. Blank in, blank out: arithmetic with a
 * blank operand, division by zero and any value of the wrong shape give null, never an error.
 */
export function evaluateFormula(ast: Expression, values: Readonly<Record<string, unknown>>, now: Date, timeZone = 'UTC'): Value {
  const ev = (node: Expression): Value => {
    switch (node.type) {
      case 'Literal':
        return (node.value as Value) ?? null;
      case 'Identifier': {
        const name = String(node.name);
        if (name === 'true') return true;
        if (name === 'false') return false;
        const v = Object.hasOwn(values, name) ? values[name] : null;
        return v === undefined ? null : (v as Value);
      }
      case 'MemberExpression': {
        // Parent values are supplied under their dotted path (`account.industry`) by whoever read the parents.
        const path = memberPath(node)?.join('.');
        const v = path !== undefined && Object.hasOwn(values, path) ? values[path] : null;
        return v === undefined || (typeof v === 'object' && v !== null) ? null : (v as Value);
      }
      case 'UnaryExpression': {
        const v = ev(node.argument as Expression);
        if (node.operator === '!') return v !== true;
        return typeof v === 'number' ? (node.operator === '-' ? -v : v) : null;
      }
      case 'BinaryExpression':
      case 'LogicalExpression': {
        const op = String(node.operator);
        if (op === '&&') return ev(node.left as Expression) === true && ev(node.right as Expression) === true;
        if (op === '||') return ev(node.left as Expression) === true || ev(node.right as Expression) === true;
        const [l, r] = [ev(node.left as Expression), ev(node.right as Expression)];
        if (op === '+' && (typeof l === 'string' || typeof r === 'string')) return `${l ?? ''}${r ?? ''}`;
        if (ARITHMETIC.has(op)) {
          if (typeof l !== 'number' || typeof r !== 'number') return null;
          const out = op === '+' ? l + r : op === '-' ? l - r : op === '*' ? l * r : r === 0 ? null : l / r;
          return out === null || Number.isFinite(out) ? out : null;
        }
        if (l === null || r === null) return op === '==' ? l === r : op === '!=' ? l !== r : null;
        switch (op) {
          case '==':
            return l === r;
          case '!=':
            return l !== r;
          case '<':
            return l < r;
          case '<=':
            return l <= r;
          case '>':
            return l > r;
          default:
            return l >= r;
        }
      }
      case 'CallExpression': {
        const fn = FUNCTIONS[String((node.callee as Expression).name).toUpperCase()]!;
        return fn.run((node.arguments as Expression[]).map(ev), now, timeZone);
      }
      default:
        return null;
    }
  };
  return ev(ast);
}
