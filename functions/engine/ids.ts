/** Record and user ids are ULIDs: 26 Crockford base-32 characters, sortable by creation time. */
export const RECORD_ID_PATTERN = '^[0-9A-HJKMNP-TV-Z]{26}$';
export const RECORD_ID = new RegExp(RECORD_ID_PATTERN);

/** Tenant ids: lower-case, no `#`, so they can lead every key. */
export const TENANT_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;
