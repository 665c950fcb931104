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

/** Reads a template folder: `manifest.json`, `objects/*.json`, optional `roles.json` and `sample-data.json`. */
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
  return { manifest, bundle: { objects, roles }, sampleData: existsSync(samplePath) ? readJson(samplePath) : {} };
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

/**
 * Two bundles as one: objects by name (the extension wins), roles by name with their object
 * grants merged, so an industry template can give crm-core's roles rights on its own objects.
 */
export function mergeBundles(base: MetadataBundle, extension: MetadataBundle): MetadataBundle {
  const objects = new Map(base.objects.map((o) => [o.name, o] as const));
  for (const o of extension.objects) objects.set(o.name, o);
  const roles = new Map((base.roles ?? []).map((r) => [r.name, r] as const));
  for (const r of extension.roles ?? []) {
    const was = roles.get(r.name);
    roles.set(r.name, was ? { ...was, ...r, objects: { ...was.objects, ...r.objects }, admin: { ...was.admin, ...r.admin } } : r);
  }
  return { objects: [...objects.values()], roles: [...roles.values()] };
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
