import type { FieldDef } from '../metadata/types';

/**
 * How a sensitive value looks to someone without `unmask`: enough to recognise it, not
 * enough to use it. Phones keep the first 3 and last 4 digits (`138****5678`), e-mails
 * the first letter and the domain, other text its first and last character.
 */
export function maskValue(field: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (Array.isArray(value)) return value.map(() => '****');
  if (typeof value === 'number' || typeof value === 'boolean') return '****';
  const s = String(value);
  if (field.type === 'phone') {
    // `+86 139 8765 4321`: the country code is not part of what people recognise.
    const national = s.trim().replace(/^\+\d{1,3}[\s-]+/, '');
    const digits = national.replace(/\D/g, '');
    return digits.length >= 8 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
  }
  if (field.type === 'email') {
    const at = s.indexOf('@');
    return at > 0 ? `${s[0]}***${s.slice(at)}` : '****';
  }
  if (s.length <= 2) return '****';
  return `${s[0]}****${s[s.length - 1]}`;
}
