import { useTranslation } from 'react-i18next';
import { consoleLanguage, pickLabel } from './labels';
import type { Labels } from './labels';

/** The console language and a label picker for tenant metadata in it. */
export function useLanguage() {
  const { i18n } = useTranslation();
  const language = consoleLanguage(i18n.language);
  return { language, label: (labels: Labels | undefined, fallback = '') => pickLabel(labels, language, fallback) };
}
