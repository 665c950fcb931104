import type { IndexDef, MetadataBundle, ObjectDef, StorageMap } from './types';

/**
 * The table has this many generic index slots (GSIs). An object's declared indexes and its
 * `indexed` fields each occupy one; 5 leaves 15 of DynamoDB's 20 GSIs for later needs.
 */
export const MAX_INDEX_SLOTS = 5;

/** `indexed: true` on a field declares `{ name: "<field>", equals: [], sort: "<field>" }`. */
export function implicitIndexes(object: ObjectDef): IndexDef[] {
  return object.fields.filter((f) => f.indexed).map((f) => ({ name: f.name, equals: [], sort: f.name }));
}

export const allIndexes = (object: ObjectDef): IndexDef[] => [...(object.indexes ?? []), ...implicitIndexes(object)];

const shape = (index: IndexDef) => JSON.stringify([index.equals, index.sort ?? null]);

export interface SlotAssignment {
  storage: StorageMap;
  /** Indexes whose slot content must be (re)built from existing records. */
  rebuild: Array<{ object: string; index: string }>;
}

/**
 * Assigns slots for a new version, keeping every unchanged index where it was so that
 * publishing never rewrites index entries it does not have to. An index that is new, or
 * whose fields changed, takes a free slot and must be backfilled.
 */
export function assignSlots(bundle: MetadataBundle, previous: MetadataBundle | null, prevStorage: StorageMap | null): SlotAssignment {
  const storage: StorageMap = { indexSlots: {} };
  const rebuild: SlotAssignment['rebuild'] = [];
  for (const object of bundle.objects) {
    const before = previous?.objects.find((o) => o.name === object.name);
    const beforeShapes = new Map((before ? allIndexes(before) : []).map((x) => [x.name, shape(x)] as const));
    const beforeSlots = prevStorage?.indexSlots[object.name] ?? {};
    const slots: Record<string, number> = {};
    const used = new Set<number>();
    const pending: IndexDef[] = [];
    for (const index of allIndexes(object)) {
      const slot = beforeSlots[index.name];
      if (slot !== undefined && beforeShapes.get(index.name) === shape(index)) {
        slots[index.name] = slot;
        used.add(slot);
      } else pending.push(index);
    }
    for (const index of pending) {
      const free = [...Array(MAX_INDEX_SLOTS).keys()].map((k) => k + 1).find((s) => !used.has(s));
      if (free === undefined) throw new Error(`no free index slot for ${object.name}.${index.name}`);
      slots[index.name] = free;
      used.add(free);
      rebuild.push({ object: object.name, index: index.name });
    }
    storage.indexSlots[object.name] = slots;
  }
  return { storage, rebuild };
}

/**
 * Whether equality on `field` alone is served by an index of the object: the field is
 * `indexed`, or an index has it as its only equality field or as its sort field with no
 * equality fields. Features that find records by a lookup (roll-ups, delete rules) need this.
 */
export function servesEquality(object: ObjectDef, field: string): boolean {
  return allIndexes(object).some((i) => (i.equals.length === 1 && i.equals[0] === field) || (i.equals.length === 0 && i.sort === field));
}
