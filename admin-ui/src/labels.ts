/** Tenant metadata labels (`{"en": …, "zh-CN": …}`) in the console's language, falling back to the other. */
export type ConsoleLanguage = 'en' | 'zh-CN';
export type Labels = Partial<Record<ConsoleLanguage, string>>;

export const LANGUAGES: readonly ConsoleLanguage[] = ['en', 'zh-CN'];

export function pickLabel(labels: Labels | undefined, language: ConsoleLanguage, fallback = ''): string {
  if (!labels) return fallback;
  const other = language === 'en' ? 'zh-CN' : 'en';
  return labels[language] || labels[other] || fallback;
}

/** The console's language from what i18next reports (`zh`, `zh-CN`, `en-GB` …). */
export function consoleLanguage(raw: string | undefined): ConsoleLanguage {
  return raw?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
