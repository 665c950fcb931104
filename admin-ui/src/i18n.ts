/**
 * i18next for the whole app, without labels: each area registers its own when it loads (the
 * console's in `consoleI18n.ts`, the staff app's in `staff/staffI18n.ts`), so the first load,
 * which both share, carries neither.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

const LANG_KEY = 'tessera.lang';

void i18next.use(initReactI18next).init({
  resources: {},
  lng: localStorage.getItem(LANG_KEY) ?? (navigator.language.startsWith('zh') ? 'zh-CN' : 'en'),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});

i18next.on('languageChanged', (lng) => {
  localStorage.setItem(LANG_KEY, lng);
  document.documentElement.lang = lng;
});

export default i18next;
