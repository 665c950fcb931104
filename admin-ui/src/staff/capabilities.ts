/**
 * What the caller may do with each object, read from their own OpenAPI document
 * (`GET /api/openapi.json` lists, per object, only the operations the caller may use — no
 * `POST …/records` without create, no `DELETE` without delete, export only with exportData —
 * and `<object>.create` / `<object>.patch` hold only the fields they may write).
 */
export interface ObjectCapabilities {
  readonly create: boolean;
  readonly update: boolean;
  readonly delete: boolean;
  readonly export: boolean;
  readonly batch: boolean;
  readonly reassign: boolean;
  readonly take: boolean;
  /** Fields the caller may set on create / change on update. */
  readonly creatable: ReadonlySet<string>;
  readonly editable: ReadonlySet<string>;
}

interface OpenApiLike {
  readonly paths?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, { readonly properties?: Readonly<Record<string, unknown>> }>> };
}

export const NO_CAPABILITIES: ObjectCapabilities = { create: false, update: false, delete: false, export: false, batch: false, reassign: false, take: false, creatable: new Set(), editable: new Set() };

export function capabilitiesOf(doc: OpenApiLike, object: string): ObjectCapabilities {
  const has = (path: string, method: string) => Boolean(doc.paths?.[`/api/objects/${object}${path}`]?.[method]);
  const fields = (kind: string) => new Set(Object.keys(doc.components?.schemas?.[`${object}.${kind}`]?.properties ?? {}));
  return {
    create: has('/records', 'post'),
    update: has('/records/{id}', 'patch'),
    delete: has('/records/{id}', 'delete'),
    export: has('/export', 'get'),
    batch: has('/batch', 'post'),
    reassign: has('/records/{id}/reassign', 'post'),
    take: has('/records/{id}/take', 'post'),
    creatable: fields('create'),
    editable: fields('patch'),
  };
}

/** Every object the document has typed paths for. */
export function capabilitiesFrom(doc: OpenApiLike): Map<string, ObjectCapabilities> {
  const names = new Set<string>();
  for (const path of Object.keys(doc.paths ?? {})) {
    const m = /^\/api\/objects\/([a-z][a-z0-9_]*)\/records$/.exec(path);
    if (m) names.add(m[1]!);
  }
  return new Map([...names].map((n) => [n, capabilitiesOf(doc, n)]));
}
