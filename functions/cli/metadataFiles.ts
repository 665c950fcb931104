import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetadataBundle } from '../engine/metadata/types';
import { KIND_FILES, readKindFiles } from '../api/templates/catalog';

/**
 * Metadata as files, the same layout as a template: `objects/<name>.json`, `roles.json`, one
 * file per other kind (`automationRules.json`, `settings.json`, …: `KIND_FILES`),
 * `templates.json` (installed templates). Stable formatting (2 spaces, trailing newline) keeps
 * git diffs to what changed.
 */
const write = (path: string, value: unknown) => writeFileSync(path, JSON.stringify(value, null, 2) + '\n');

export function writeMetadataFolder(dir: string, bundle: MetadataBundle, manifest?: Record<string, unknown>): string[] {
  const objectsDir = join(dir, 'objects');
  mkdirSync(objectsDir, { recursive: true });
  // Objects removed from the tenant must disappear from the folder too.
  for (const f of readdirSync(objectsDir)) if (f.endsWith('.json')) rmSync(join(objectsDir, f));
  const written: string[] = [];
  for (const object of bundle.objects) {
    write(join(objectsDir, `${object.name}.json`), object);
    written.push(`objects/${object.name}.json`);
  }
  write(join(dir, 'roles.json'), bundle.roles ?? []);
  written.push('roles.json');
  for (const kind of KIND_FILES) {
    const value = bundle[kind];
    const path = join(dir, `${kind}.json`);
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      write(path, value);
      written.push(`${kind}.json`);
    } else if (existsSync(path)) rmSync(path);
  }
  if (bundle.templates?.length) {
    write(join(dir, 'templates.json'), bundle.templates);
    written.push('templates.json');
  } else if (existsSync(join(dir, 'templates.json'))) rmSync(join(dir, 'templates.json'));
  if (manifest && !existsSync(join(dir, 'manifest.json'))) {
    write(join(dir, 'manifest.json'), manifest);
    written.push('manifest.json');
  }
  return written;
}

export function readMetadataFolder(dir: string): MetadataBundle {
  const objectsDir = join(dir, 'objects');
  if (!existsSync(objectsDir)) throw new Error(`${dir} has no objects/ folder`);
  const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
  const objects = readdirSync(objectsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => read(join(objectsDir, f)));
  const roles = existsSync(join(dir, 'roles.json')) ? read(join(dir, 'roles.json')) : [];
  const templates = existsSync(join(dir, 'templates.json')) ? read(join(dir, 'templates.json')) : undefined;
  return { objects, roles, ...readKindFiles(dir), ...(templates ? { templates } : {}) };
}
