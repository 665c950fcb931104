/** The staff app's labels, registered as the i18next namespace `staff` when the staff app loads (not in the console's first load). */
import i18next from 'i18next';
import { staffEn } from './locales/en';
import { staffZhCN } from './locales/zhCN';

i18next.addResourceBundle('en', 'staff', staffEn, true, true);
i18next.addResourceBundle('zh-CN', 'staff', staffZhCN, true, true);
