import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Labels, MetadataBundle, ObjectDef, RoleDef } from '../engine/metadata/types';

export const TEMPLATES_DIR = resolve(import.meta.dirname, '../../metadata/templates');

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

export function listTemplates(root = TEMPLATES_DIR): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'manifest.json')))
    .map((d) => d.name)
    .sort();
}
