/**
 * Where a metadata problem belongs. The API reports each problem at a JSON Pointer into the
 * bundle it checked (`/objects/3/fields/2/options/1/value`), or, for one object, into that
 * object (`/fields/2/label`). The console shows it beside the object, field and setting it
 * names instead of as a list of pointers.
 */
export interface Problem {
  readonly pointer: string;
  readonly code: string;
  readonly message: string;
}

interface NamedObject {
  readonly name: string;
  readonly fields?: ReadonlyArray<{ readonly name?: string }>;
}

export interface ProblemPlace {
  /** The object's API name, when the pointer is inside one. */
  readonly object?: string;
  /** The field's position in the object's `fields`, when the pointer is inside one. */
  readonly fieldIndex?: number;
  readonly field?: string;
  /** The rest of the pointer below the object or field: `label`, `options/1/value`; '' for the thing itself. */
  readonly setting: string;
}

/** RFC 6901 tokens: `~1` is `/`, `~0` is `~`. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.replace(/^\//, '').split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const index = (token: string | undefined): number | undefined => (token !== undefined && /^\d+$/.test(token) ? Number(token) : undefined);

/**
 * The place a pointer names. `objects` is the bundle the pointer was computed against;
 * `scope` is the object a one-object answer (PUT of an object) is relative to.
 */
export function locateProblem(pointer: string, objects: readonly NamedObject[], scope?: NamedObject): ProblemPlace {
  let tokens = pointerTokens(pointer);
  let object: NamedObject | undefined = scope;
  if (tokens[0] === 'objects') {
    const i = index(tokens[1]);
    const byIndex = i === undefined ? undefined : objects[i];
    object = byIndex ?? objects.find((o) => o.name === tokens[1]);
    if (!object) return { setting: tokens.join('/') };
    tokens = tokens.slice(2);
  } else if (!scope) {
    return { setting: tokens.join('/') };
  }
  if (!object) return { setting: tokens.join('/') };
  if (tokens[0] === 'fields' && tokens.length > 1) {
    const i = index(tokens[1]);
    const fields = object.fields ?? [];
    const fieldIndex = i ?? fields.findIndex((f) => f.name === tokens[1]);
    if (fieldIndex >= 0 && fieldIndex < fields.length) {
      const name = fields[fieldIndex]?.name;
      return { object: object.name, fieldIndex, ...(name ? { field: name } : {}), setting: tokens.slice(2).join('/') };
    }
  }
  return { object: object.name, setting: tokens.join('/') };
}

export interface PlacedProblems {
  /** Problems about an object itself (its label, name field, indexes …), by object name. */
  readonly objects: ReadonlyMap<string, Array<Problem & ProblemPlace>>;
  /** Problems about one field, by `object/fieldIndex`. */
  readonly fields: ReadonlyMap<string, Array<Problem & ProblemPlace>>;
  /** Problems that point at no object (roles, templates, the bundle itself). */
  readonly other: ReadonlyArray<Problem & ProblemPlace>;
}

export const fieldKey = (object: string, fieldIndex: number) => `${object}/${fieldIndex}`;

export function placeProblems(problems: readonly Problem[], objects: readonly NamedObject[], scope?: NamedObject): PlacedProblems {
  const byObject = new Map<string, Array<Problem & ProblemPlace>>();
  const byField = new Map<string, Array<Problem & ProblemPlace>>();
  const other: Array<Problem & ProblemPlace> = [];
  for (const problem of problems) {
    const place = { ...problem, ...locateProblem(problem.pointer, objects, scope) };
    if (place.object !== undefined && place.fieldIndex !== undefined) push(byField, fieldKey(place.object, place.fieldIndex), place);
    else if (place.object !== undefined) push(byObject, place.object, place);
    else other.push(place);
  }
  return { objects: byObject, fields: byField, other };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Problems of one object and its fields, for the object list's badge. */
export function countForObject(placed: PlacedProblems, object: string): number {
  let n = placed.objects.get(object)?.length ?? 0;
  for (const [key, list] of placed.fields) if (key.startsWith(`${object}/`)) n += list.length;
  return n;
}
