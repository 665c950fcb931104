import { EngineError } from '../../engine/errors';
import { computeAccess } from '../../engine/permissions/access';
import type { Access } from '../../engine/permissions/access';
import type { AdminPermission, ConversionTargetDef, MetadataBundle } from '../../engine/metadata/types';
import { RECORD_TYPE_FIELD } from '../../engine/metadata/relationships';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { headVersion, bundleAt } from './currentBundle';

const EMPTY: MetadataBundle = { objects: [], roles: [] };

/** The caller's access under the published head (before the first publish, only the built-in admin role means anything). */
export async function callerAccess(services: Services, user: UserContext): Promise<Access> {
  const version = await headVersion(services, user.tenantId);
  return version === 0 ? computeAccess(EMPTY, user.roles) : (await bundleAt(services, user.tenantId, version)).access(user.roles);
}

/** Refuses (403) unless the caller holds the admin permission. */
export async function requireAdmin(services: Services, user: UserContext, permission: AdminPermission): Promise<Access> {
  const access = await callerAccess(services, user);
  if (!access.can(permission)) throw new EngineError('access.denied', `This needs the ${permission} permission`, [], { permission });
  return access;
}

/**
 * Published metadata as a caller without `manageMetadata` may see it: the objects they
 * may read, only their visible fields, and no roles (what the staff app needs to render).
 */
export function visibleBundle(bundle: MetadataBundle, access: Access): MetadataBundle {
  if (access.can('manageMetadata')) return bundle;
  return {
    objects: bundle.objects
      .filter((o) => access.object(o.name).can.read)
      .map((o) => {
        const a = access.object(o.name);
        const fields = o.fields.filter((f) => a.fields.get(f.name)?.value !== 'hidden');
        const names = new Set(fields.map((f) => f.name));
        const indexes = (o.indexes ?? []).filter((x) => x.equals.every((f) => names.has(f)) && (!x.sort || names.has(x.sort)));
        // Layouts and record types name fields too: hidden ones leave them, as do related lists of objects the caller cannot read.
        const shown = (n: string) => names.has(n) || (n === RECORD_TYPE_FIELD && (o.recordTypes ?? []).length > 0);
        const layouts = o.layouts?.map((l) => ({
          ...l,
          sections: l.sections.map((s) => ({ ...s, columns: s.columns.map((c) => c.filter(shown)) })),
          ...(l.relatedLists ? { relatedLists: l.relatedLists.filter((r) => access.object(r.relation.split('.')[0]!).can.read) } : {}),
        }));
        const recordTypes = o.recordTypes?.map((t) => (t.picklistValues ? { ...t, picklistValues: Object.fromEntries(Object.entries(t.picklistValues).filter(([f]) => names.has(f))) } : t));
        return { ...o, fields, indexes, ...(layouts ? { layouts } : {}), ...(recordTypes ? { recordTypes } : {}) };
      }),
    ...visibleConversions(bundle, access),
  };
}

/**
 * The conversions of objects the caller may update, as the staff app needs them (which
 * objects, which status marks a record converted) — without the mapping, which names
 * fields the caller may not see; and none whose status field is hidden from them.
 */
function visibleConversions(bundle: MetadataBundle, access: Access): Pick<MetadataBundle, 'conversions'> {
  const conversions = (bundle.conversions ?? [])
    .filter((c) => access.object(c.object).can.update && access.object(c.object).fields.get(c.status.field)?.value !== 'hidden')
    .map((c) => {
      const target = (def: ConversionTargetDef) => ({ object: def.object, link: def.link });
      return { name: c.name, object: c.object, ...(c.label ? { label: c.label } : {}), status: c.status, account: target(c.account), contact: target(c.contact), ...(c.opportunity ? { opportunity: target(c.opportunity) } : {}) };
    });
  return conversions.length ? { conversions } : {};
}
