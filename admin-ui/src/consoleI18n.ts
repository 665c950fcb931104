/**
 * The console's labels (the i18next default namespace), registered when a console screen loads:
 * the console's shell and the sign-in page import this module. They are not in the first load,
 * which the staff app shares and never reads them in (its labels are the `staff` namespace,
 * `staff/staffI18n.ts`): ≈12 KB gzipped, most of it the metadata editors' vocabulary. Both
 * languages come together; the console is for the few who administer a tenant.
 */
import i18next from 'i18next';
import { en } from './locales/en';
import { zhCN } from './locales/zhCN';

i18next.addResourceBundle('en', 'translation', en, true, true);
i18next.addResourceBundle('zh-CN', 'translation', zhCN, true, true);
