/**
 * Template versions are `major.minor.patch`; requirements use npm's caret (`^1.2`: same
 * major, at least 1.2; `^0.2`: same 0.minor, at least 0.2) or an exact version.
 */
const parse = (v: string): [number, number, number] | null => {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null;
};

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parse(a), parse(b)];
  if (!x || !y) return a.localeCompare(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  if (!v) return false;
  if (!range.startsWith('^')) return compareVersions(version, range) === 0;
  const r = parse(range.slice(1));
  if (!r) return false;
  if (compareVersions(version, range.slice(1)) < 0) return false;
  return r[0] > 0 ? v[0] === r[0] : v[0] === 0 && v[1] === r[1];
}
