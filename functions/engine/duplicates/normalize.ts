/*
 * Normalisers behind duplicate matching: each turns a value into the form two records are
 * compared in. Pure string work, shared by the match keys written with a record and by the
 * comparison of candidates.
 */

/** Providers that deliver `name+tag@` to `name@` (sub-addressing), so the tag does not make a new address. */
const PLUS_PROVIDERS = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com', 'fastmail.com', 'protonmail.com', 'proton.me', 'pm.me', 'yandex.ru', 'yandex.com']);
/** Gmail ignores dots in the local part as well. */
const DOTLESS = new Set(['gmail.com', 'googlemail.com']);

/** `Li.Lei+crm@GMail.com` → `lilei@gmail.com` with `ignorePlus`; otherwise trimmed and lower-cased. */
export function normalizeEmail(value: unknown, ignorePlus = false): string | null {
  const text = String(value ?? '').trim().toLowerCase();
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return text || null;
  let local = text.slice(0, at);
  let domain = text.slice(at + 1);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (ignorePlus && PLUS_PROVIDERS.has(domain)) {
    local = local.split('+')[0]!;
    if (DOTLESS.has(domain)) local = local.replace(/\./g, '');
  }
  return local ? `${local}@${domain}` : null;
}

/**
 * A phone number as `+<country code><number>`: digits only; `+` or `00` starts an
 * international number; otherwise one trunk `0` is dropped and the default country code
 * added (`010 6552 9988` with 86 → `+861065529988`). Without a default code the national
 * digits are kept as they are. Fewer than 5 digits is no number.
 */
export function normalizePhone(value: unknown, defaultCountryCode?: string): string | null {
  const raw = String(value ?? '').trim();
  let digits = raw.replace(/\D/g, '');
  if (digits.length < 5) return null;
  if (raw.startsWith('+')) return `+${digits}`;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (!defaultCountryCode) return digits;
  // A number that already carries the default code without its "+" (8613812345678).
  if (digits.startsWith(defaultCountryCode) && digits.length >= defaultCountryCode.length + 9 && !digits.startsWith('0')) return `+${digits}`;
  if (digits.startsWith('0')) digits = digits.slice(1);
  return `+${defaultCountryCode}${digits}`;
}

/** Words that say what kind of company a name is, not which: left out of names before comparing. */
const LEGAL_WORDS = new Set([
  'inc', 'incorporated', 'ltd', 'limited', 'llc', 'llp', 'lp', 'co', 'corp', 'corporation', 'company', 'companies', 'gmbh', 'ag', 'kg', 'plc', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'pty', 'pte', 'oy', 'ab', 'as', 'kk', 'the', 'and', 'group', 'holdings',
]);
/** Chinese legal forms, longest first: removed wherever they end a name or a run of Han characters. */
const LEGAL_SUFFIXES_ZH = ['股份有限公司', '有限责任公司', '有限公司', '集团公司', '分公司', '公司', '集团', '商行', '工作室'];
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

export interface NormalizedName {
  /** Tokens without punctuation and legal words, in order; runs of CJK characters are one token each. */
  readonly tokens: readonly string[];
  /** The tokens joined by spaces: what similarity compares. */
  readonly text: string;
}

/**
 * `ＡＣＭＥ Trading Co., Ltd.` → `acme trading`; `北京华为技术有限公司` → `北京华为技术`.
 * NFKC folds full-width letters and digits; case, punctuation and legal words go.
 */
export function normalizeName(value: unknown): NormalizedName {
  let text = String(value ?? '').normalize('NFKC').toLowerCase();
  // Latin and CJK next to each other are separate tokens ("华为huawei" → "华为 huawei").
  text = text.replace(CJK_RUN, (run) => ` ${stripZhSuffixes(run)} `);
  const tokens = text
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((t) => t.length > 0 && !LEGAL_WORDS.has(t) && !LEGAL_SUFFIXES_ZH.includes(t));
  return { tokens, text: tokens.join(' ') };
}

function stripZhSuffixes(run: string): string {
  // A run that is only a legal form ("华为 有限公司") is no part of the name.
  if (LEGAL_SUFFIXES_ZH.includes(run)) return '';
  let out = run;
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of LEGAL_SUFFIXES_ZH) {
      if (out.length > suffix.length && out.endsWith(suffix)) {
        out = out.slice(0, -suffix.length);
        changed = true;
      }
    }
  }
  return out;
}

/** Blocking keys per name: at most this many, so a record writes few match-key items. */
export const MAX_NAME_KEYS = 4;

/**
 * Blocking keys of a name: two names that are alike share at least one in practice. A Latin
 * token gives its first four characters (`trading` and `tradng` both give `trad`), a run of
 * CJK characters its first bigrams (`北京华为技术` and `华为技术` share `华为`). Tokens of one
 * Latin character give nothing. Candidates are then compared by similarity.
 */
export function nameKeys(name: NormalizedName): string[] {
  const keys: string[] = [];
  const add = (k: string) => {
    if (!keys.includes(k) && keys.length < MAX_NAME_KEYS) keys.push(k);
  };
  for (const token of name.tokens) {
    if (CJK.test(token)) {
      const chars = [...token];
      if (chars.length === 1) add(token);
      for (let i = 0; i + 1 < chars.length && i < 3; i++) add(chars[i]! + chars[i + 1]!);
    } else if ([...token].length >= 2) add([...token].slice(0, 4).join(''));
  }
  return keys;
}
