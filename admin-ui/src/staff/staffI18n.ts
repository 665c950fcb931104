/**
 * The staff app's labels, registered as the i18next namespace `staff` when the staff app loads
 * (not in the console's first load). English is the fallback and comes with the shell; the
 * 简体中文 labels are a chunk of their own, fetched before the shell renders when the user
 * reads Chinese, or when they switch to it: nobody downloads a language they do not read
 * (≈3 KB gzipped of every first load of `/app`).
 */
import i18next from 'i18next';
import { staffEn } from './locales/en';

i18next.addResourceBundle('en', 'staff', staffEn, true, true);

let zh: Promise<void> | null = null;
const loadChinese = () =>
  (zh ??= import('./locales/zhCN').then(({ staffZhCN }) => {
    i18next.addResourceBundle('zh-CN', 'staff', staffZhCN, true, true);
  }));

// Components re-render when the bundle arrives after a switch of language (react-i18next listens to the store's `added`).
i18next.options.react = { ...i18next.options.react, bindI18nStore: 'added' };
i18next.on('languageChanged', (lng) => void (lng === 'zh-CN' && loadChinese()));
/**
 * Resolves once the labels of the language the user starts in are there: the shell waits for it
 * (React's `use`, under the route's Suspense) rather than showing English first. A top-level
 * await would do the same but makes the bundler wrap the shared chunks (+4 KB to every first load).
 */
export const staffLabelsReady: Promise<void> = i18next.language === 'zh-CN' ? loadChinese() : Promise.resolve();
