import type { MetadataBundle } from '../metadata/types';

/** The zone a tenant's days and months are read in: `settings.timeZone`, else its business hours' zone, else UTC. */
export const tenantTimeZone = (bundle: MetadataBundle): string => bundle.settings?.timeZone ?? bundle.settings?.businessHours?.timeZone ?? 'UTC';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD` of an instant in a time zone. Formatters are kept per zone: building one costs far more than formatting. */
export function dayIn(now: Date, timeZone = 'UTC'): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(now);
}
