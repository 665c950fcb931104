import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Labels, MetadataBundle, ObjectDef, RoleDef } from '../../engine/metadata/types';

/** The template catalog: `metadata/templates`, or `TESSERA_TEMPLATES_DIR` (read on each call, so tests can point elsewhere). */
export const DEFAULT_TEMPLATES_DIR = resolve(import.meta.dirname, '../../../metadata/templates');
export const templatesDir = (): string => process.env.TESSERA_TEMPLATES_DIR ?? DEFAULT_TEMPLATES_DIR;

export interface TemplateManifest {
  readonly name: string;
  readonly version: string;
  readonly industry: string;
  readonly label: Labels;
  readonly description: Labels;
  readonly requires: readonly string[];
}

export interface SampleRow {
  /** Name later rows use to refer to this record (`"@ref"`). */
  readonly ref?: string;
  readonly values: Record<string, unknown>;
}

export interface Template {
  readonly manifest: TemplateManifest;
  readonly bundle: MetadataBundle;
  /** Sample records per object, in the order they must be created. */
  readonly sampleData: Record<string, SampleRow[]>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/**
 * Metadata kinds kept in a file of their own beside `objects/` and `roles.json`, each file
 * named after its kind: `automationRules.json`, `settings.json`, … (the layout `tessera pull`
 * writes, so a tenant's metadata can become a template).
 */
export const KIND_FILES = ['validationRules', 'assignmentRules', 'automationRules', 'webhooks', 'workflows', 'approvalProcesses', 'duplicateRules', 'conversions', 'reports', 'dashboards', 'settings'] as const;
type KindFile = (typeof KIND_FILES)[number];

/** The kinds of `KIND_FILES` a folder has, as bundle properties. */
export function readKindFiles(dir: string): Pick<MetadataBundle, KindFile> {
  const out: Partial<Record<KindFile, unknown>> = {};
  for (const kind of KIND_FILES) {
    const path = join(dir, `${kind}.json`);
    if (existsSync(path)) out[kind] = readJson(path);
  }
  return out as Pick<MetadataBundle, KindFile>;
}

/** Reads a template folder: `manifest.json`, `objects/*.json`, optional `roles.json`, the `KIND_FILES` and `sample-data.json`. */
export function loadTemplate(dir: string): Template {
  const manifest = readJson<TemplateManifest>(join(dir, 'manifest.json'));
  const objectsDir = join(dir, 'objects');
  const objects = existsSync(objectsDir)
    ? readdirSync(objectsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => readJson<ObjectDef>(join(objectsDir, f)))
    : [];
  const rolesPath = join(dir, 'roles.json');
  const roles = existsSync(rolesPath) ? readJson<RoleDef[]>(rolesPath) : [];
  const samplePath = join(dir, 'sample-data.json');
  return { manifest, bundle: { objects, roles, ...readKindFiles(dir) }, sampleData: existsSync(samplePath) ? readJson(samplePath) : {} };
}

export function listTemplates(root = templatesDir()): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'manifest.json')))
    .map((d) => d.name)
    .sort();
}

/** `crm-core@^1` → `crm-core`. Version ranges are checked when templates are installed. */
export const requiredName = (requirement: string): string => requirement.split('@')[0]!;

/** Two lists of named things as one, by name: the extension's replaces the base's. */
function byName<T extends { name: string }>(base: readonly T[] = [], extension: readonly T[] = []): T[] {
  const all = new Map(base.map((x) => [x.name, x] as const));
  for (const x of extension) all.set(x.name, x);
  return [...all.values()];
}

/**
 * Two bundles as one: objects, rules, webhooks, workflows, approval processes, reports and dashboards by name (the extension wins), roles by name
 * with their object grants merged, so an industry template can give crm-core's roles rights
 * on its own objects; settings by key (the extension's business hours replace the base's).
 * Assignment rule sets are one per object, so they merge by object.
 */
export function mergeBundles(base: MetadataBundle, extension: MetadataBundle): MetadataBundle {
  const roles = new Map((base.roles ?? []).map((r) => [r.name, r] as const));
  for (const r of extension.roles ?? []) {
    const was = roles.get(r.name);
    roles.set(r.name, was ? { ...was, ...r, objects: { ...was.objects, ...r.objects }, admin: { ...was.admin, ...r.admin } } : r);
  }
  const assignment = new Map((base.assignmentRules ?? []).map((a) => [a.object, a] as const));
  for (const a of extension.assignmentRules ?? []) assignment.set(a.object, a);
  const merged: MetadataBundle = { objects: byName(base.objects, extension.objects), roles: [...roles.values()] };
  const validationRules = byName(base.validationRules, extension.validationRules);
  const automationRules = byName(base.automationRules, extension.automationRules);
  const webhooks = byName(base.webhooks, extension.webhooks);
  const workflows = byName(base.workflows, extension.workflows);
  const approvalProcesses = byName(base.approvalProcesses, extension.approvalProcesses);
  const reports = byName(base.reports, extension.reports);
  const dashboards = byName(base.dashboards, extension.dashboards);
  const settings = base.settings || extension.settings ? { ...base.settings, ...extension.settings } : undefined;
  return {
    ...merged,
    ...(validationRules.length ? { validationRules } : {}),
    ...(assignment.size ? { assignmentRules: [...assignment.values()] } : {}),
    ...(automationRules.length ? { automationRules } : {}),
    ...(webhooks.length ? { webhooks } : {}),
    ...(workflows.length ? { workflows } : {}),
    ...(approvalProcesses.length ? { approvalProcesses } : {}),
    ...(reports.length ? { reports } : {}),
    ...(dashboards.length ? { dashboards } : {}),
    ...(settings ? { settings } : {}),
  };
}

/** A template with everything it requires, required templates first (depth-first, each once). */
export function resolveTemplate(name: string, root = templatesDir(), seen: Set<string> = new Set()): MetadataBundle {
  if (seen.has(name)) return { objects: [], roles: [] };
  seen.add(name);
  const template = loadTemplate(join(root, name));
  let bundle: MetadataBundle = { objects: [], roles: [] };
  for (const requirement of template.manifest.requires) bundle = mergeBundles(bundle, resolveTemplate(requiredName(requirement), root, seen));
  return mergeBundles(bundle, template.bundle);
}
