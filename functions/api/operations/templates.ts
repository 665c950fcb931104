import { join } from 'node:path';
import { EngineError } from '../../engine/errors';
import type { MetadataBundle } from '../../engine/metadata/types';
import { compareVersions, satisfies } from '../../engine/templates/semver';
import { threeWayMerge } from '../../engine/templates/threeWayMerge';
import type { MergeConflict } from '../../engine/templates/threeWayMerge';
import { listTemplates, loadTemplate, requiredName, templatesDir } from '../templates/catalog';
import type { Template } from '../templates/catalog';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { requireAdmin } from './adminAccess';
import { getDraft, publishDraft, replaceDraft } from './metadata';
import type { PublishResult } from './metadata';

const EMPTY: MetadataBundle = { objects: [], roles: [] };

function template(name: string): Template {
  if (!listTemplates().includes(name)) throw new EngineError('metadata.notFound', `There is no template "${name}"`, [], { template: name });
  return loadTemplate(join(templatesDir(), name));
}

/** The gallery: every template with what it adds, and whether and which version this tenant has. */
export async function listGallery(services: Services, user: UserContext) {
  const { bundle } = await getDraft(services, user);
  const installed = new Map((bundle.templates ?? []).map((t) => [t.name, t.version] as const));
  return listTemplates().map((name) => {
    const t = loadTemplate(join(templatesDir(), name));
    const version = installed.get(name) ?? null;
    return {
      name,
      version: t.manifest.version,
      industry: t.manifest.industry,
      label: t.manifest.label,
      description: t.manifest.description,
      requires: t.manifest.requires,
      objects: t.bundle.objects.map((o) => ({ name: o.name, label: o.label })),
      roles: (t.bundle.roles ?? []).map((r) => ({ name: r.name, label: r.label })),
      installedVersion: version,
      upgradeAvailable: version !== null && compareVersions(t.manifest.version, version) > 0,
    };
  });
}

export interface TemplateChange {
  readonly template: string;
  readonly from: string | null;
  readonly to: string | null;
  /** Templates installed first because this one requires them. */
  readonly alsoInstalled: readonly string[];
  readonly conflicts: readonly MergeConflict[];
  readonly draftRevision: number;
  readonly published: PublishResult | null;
}

function withTemplateVersion(bundle: MetadataBundle, name: string, version: string | null): MetadataBundle {
  const others = (bundle.templates ?? []).filter((t) => t.name !== name);
  return { ...bundle, templates: version === null ? others : [...others, { name, version }] };
}

/**
 * Merges a template into the draft: a three-way merge from what the tenant installed before
 * (nothing, for a new install) to what the template ships now, over the tenant's own
 * changes. Required templates missing from the tenant are installed first; one installed at
 * a version outside the requirement is refused. Publishes when asked and nothing conflicted.
 */
async function applyTemplate(services: Services, user: UserContext, name: string, mode: 'install' | 'upgrade', publish: boolean): Promise<TemplateChange> {
  await requireAdmin(services, user, 'manageTemplates');
  const next = template(name);
  let bundle = (await getDraft(services, user)).bundle;
  const installedVersion = (v: MetadataBundle, n: string) => (v.templates ?? []).find((t) => t.name === n)?.version ?? null;
  const current = installedVersion(bundle, name);
  if (mode === 'install' && current !== null) throw new EngineError('metadata.conflict', `${name} ${current} is already installed; upgrade it instead`, [], { installedVersion: current });
  if (mode === 'upgrade' && current === null) throw new EngineError('metadata.conflict', `${name} is not installed`, []);

  const alsoInstalled: string[] = [];
  const conflicts: MergeConflict[] = [];
  const merge = async (t: Template, from: string | null) => {
    const base = from === null ? EMPTY : ((await services.metadata.templateSnapshot(user.tenantId, t.manifest.name, from)) ?? EMPTY);
    const result = threeWayMerge(base, bundle, t.bundle);
    conflicts.push(...result.conflicts.map((c) => ({ ...c, path: `${t.manifest.name}:${c.path}` })));
    bundle = withTemplateVersion(result.merged, t.manifest.name, t.manifest.version);
    await services.metadata.saveTemplateSnapshot(user.tenantId, t.manifest.name, t.manifest.version, t.bundle);
  };
  for (const requirement of next.manifest.requires) {
    const [req, range = '*'] = requirement.split('@');
    const have = installedVersion(bundle, requiredName(req!));
    if (have === null) {
      const dependency = template(requiredName(req!));
      if (range !== '*' && !satisfies(dependency.manifest.version, range)) throw new EngineError('metadata.invalid', `${name} requires ${requirement}, but the catalog has ${dependency.manifest.version}`);
      await merge(dependency, null);
      alsoInstalled.push(dependency.manifest.name);
    } else if (range !== '*' && !satisfies(have, range)) {
      throw new EngineError('metadata.conflict', `${name} requires ${requirement}; this tenant has ${req} ${have}. Upgrade it first.`, [], { requirement, installed: have });
    }
  }
  await merge(next, current);
  const saved = await replaceDraft(services, user, bundle);
  const published = publish && conflicts.length === 0 ? await publishDraft(services, user, `${mode} ${name}@${next.manifest.version}`) : null;
  return { template: name, from: current, to: next.manifest.version, alsoInstalled, conflicts, draftRevision: saved.revision, published };
}

export const installTemplate = (services: Services, user: UserContext, name: string, publish: boolean) => applyTemplate(services, user, name, 'install', publish);
export const upgradeTemplate = (services: Services, user: UserContext, name: string, publish: boolean) => applyTemplate(services, user, name, 'upgrade', publish);

/**
 * Removes a template's objects (those whose `source` is the template) and its roles'
 * grants on them from the draft. Refused while any of those objects has records, unless
 * `archive` is asked for: then the objects leave the metadata and their records stay
 * stored, hidden, and come back with a rollback.
 */
export async function uninstallTemplate(services: Services, user: UserContext, name: string, archive: boolean, publish: boolean) {
  await requireAdmin(services, user, 'manageTemplates');
  const { bundle } = await getDraft(services, user);
  if (!(bundle.templates ?? []).some((t) => t.name === name)) throw new EngineError('metadata.conflict', `${name} is not installed`);
  const dependents = (bundle.templates ?? []).filter((t) => t.name !== name && listTemplates().includes(t.name) && loadTemplate(join(templatesDir(), t.name)).manifest.requires.some((r) => requiredName(r) === name));
  if (dependents.length > 0) throw new EngineError('metadata.conflict', `${dependents.map((d) => d.name).join(', ')} require ${name}; uninstall them first`);
  const objects = bundle.objects.filter((o) => o.source === name).map((o) => o.name);
  const withData: string[] = [];
  for (const object of objects) if (await services.records.hasAny(user.tenantId, object)) withData.push(object);
  if (withData.length > 0 && !archive) {
    throw new EngineError('metadata.conflict', `These objects still have records: ${withData.join(', ')}. Ask to archive them, or delete the records first.`, withData.map((o) => ({ path: `/objects/${o}`, code: 'hasRecords', message: `${o} has records` })), { objects: withData });
  }
  const removed = new Set(objects);
  const next: MetadataBundle = withTemplateVersion(
    {
      ...bundle,
      objects: bundle.objects.filter((o) => !removed.has(o.name)),
      roles: (bundle.roles ?? []).map((r) => ({ ...r, objects: Object.fromEntries(Object.entries(r.objects ?? {}).filter(([o]) => !removed.has(o))) })),
    },
    name,
    null,
  );
  const saved = await replaceDraft(services, user, next);
  const published = publish ? await publishDraft(services, user, `uninstall ${name}${archive ? ' (records archived)' : ''}`) : null;
  return { template: name, removedObjects: objects, archivedObjects: withData, draftRevision: saved.revision, published };
}
