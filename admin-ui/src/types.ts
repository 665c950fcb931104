/** The metadata shapes the console edits: the engine's own types (type-only, nothing of the engine is bundled). */
export type { ObjectDef, FieldDef, PicklistOption, Labels } from '../../functions/engine/metadata/types';
