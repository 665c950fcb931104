/**
 * Order-preserving encodings for index keys. DynamoDB compares string keys by their UTF-8
 * bytes, so every encoding here must sort as the values do.
 */

/** Control characters are removed so they can serve as separators inside composite keys. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Text keys compare case-insensitively (what users expect of a CRM list) and are capped at 200 characters. */
export const TEXT_KEY_MAX = 200;

export function textKey(value: unknown): string {
  return String(value).normalize('NFKC').toLowerCase().replace(CONTROL, '').trim().slice(0, TEXT_KEY_MAX);
}

/**
 * IEEE-754 doubles as 16 hex digits that sort numerically: positive numbers get their
 * sign bit set, negative numbers have all bits inverted.
 */
export function numberKey(value: unknown): string {
  const n = Number(value);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n === 0 ? 0 : n);
  let hi = view.getUint32(0);
  let lo = view.getUint32(4);
  if (hi & 0x80000000) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  } else {
    hi = (hi | 0x80000000) >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

export function decodeNumberKey(key: string): number {
  let hi = parseInt(key.slice(0, 8), 16) >>> 0;
  let lo = parseInt(key.slice(8, 16), 16) >>> 0;
  if (hi & 0x80000000) {
    hi = (hi & 0x7fffffff) >>> 0;
  } else {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

/** Rounds half away from zero to `scale` decimal places, without binary drift for typical money values. */
export function roundTo(value: number, scale: number): number {
  const factor = 10 ** scale;
  const scaled = Math.abs(value) * factor;
  const rounded = Math.round(Number(scaled.toPrecision(15)));
  return (Math.sign(value) * rounded) / factor || 0;
}

/** Digits and a leading plus: `+86 138-0000-1111` and `+8613800001111` are the same phone. */
export function phoneKey(value: unknown): string {
  const s = String(value).trim();
  return (s.startsWith('+') ? '+' : '') + s.replace(/\D/g, '');
}
