/**
 * Tenant-defined patterns run on every write, so a catastrophically backtracking pattern
 * would let one tenant stall a shared function. We refuse the shapes that cause it: a
 * quantified group that itself contains a quantifier (`(a+)+`, `(\w*)*`, `(a|a?)+`) and
 * back-references. This is stricter than necessary, never looser.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}?](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,?\d*\})/;
const BACKREFERENCE = /\\[1-9]|\\k</;

export function unsafeRegexProblem(pattern: string): string | null {
  try {
    new RegExp(pattern, 'u');
  } catch {
    return 'pattern is not a valid regular expression';
  }
  if (NESTED_QUANTIFIER.test(pattern)) return 'pattern nests quantifiers, which can take exponential time';
  if (BACKREFERENCE.test(pattern)) return 'pattern uses back-references, which can take exponential time';
  return null;
}
