/*
 * The request body limit and the import file size it allows, in a module of its own with no
 * imports: the handler enforces the first, and the staff app reads both (it refuses a larger
 * file before sending anything), so the two sides cannot disagree.
 */

/** Request bodies above this size are refused with 413 before parsing. Published in the README. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The largest CSV file one import takes. The staff app sends it as base64 (4 bytes per 3: this
 * size is 1,037,656 bytes of it) in a JSON body with the object's name (≤ 40 characters) and the
 * file's name (≤ 200), which leaves ~10 KB of MAX_BODY_BYTES for the rest.
 */
export const IMPORT_MAX_FILE_BYTES = 760 * 1024;
