import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readdirSync } from 'node:fs';
import { validateMetadata } from '../engine/metadata/validateMetadata';
import type { MetadataBundle } from '../engine/metadata/types';
import { parseArgs } from 'node:util';
import { KIND_FILES, readKindFiles, templatesDir, mergeBundles, requiredName, resolveTemplate } from '../api/templates/catalog';
import { createTenant } from './createTenant';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createDocumentClient } from '../store/client';
import { exportTenant, importTenant } from '../store/tenantBackup';
import { ApiClient, ApiError } from './apiClient';
import { readMetadataFolder, writeMetadataFolder } from './metadataFiles';
import { diffMetadata } from '../engine/metadata/diffMetadata';

const USAGE = `tessera — Tessera command line

Usage:
  tessera validate <dir|file>    Validate a metadata folder (objects/*.json, roles.json, automationRules.json,
                                 settings.json, …) or bundle file.
                                 Prints every problem with its file and JSON pointer.
                                 <dir> may also name a template under metadata/templates.
  tessera pull <dir>             Write the tenant's published metadata as files (objects/*.json, roles.json, …).
  tessera diff <dir>             Show what <dir> changes against the tenant's published metadata.
  tessera push <dir> [--dry-run] [--note <text>]
                                 Draft, validate and publish <dir>; --dry-run prints the plan only.
  tessera template install|upgrade <name> [--publish]
                                 Install or upgrade a template (three-way merge; conflicts are listed).
    These talk to a running API: --url (TESSERA_URL, default http://127.0.0.1:3000) with
    --token (TESSERA_TOKEN), or --tenant/--email/--password (TESSERA_TENANT/_EMAIL/_PASSWORD).
  tessera tenant create <id> --name <name> --admin-email <email> --admin-password <password>
                                 [--table <table>] [--endpoint <DynamoDB URL>]
                                 Create a tenant and its first administrator, directly in the table
                                 (TESSERA_TABLE / TESSERA_DYNAMODB_ENDPOINT from the environment by default).
  tessera tenant export <id> --out <file.jsonl> [--table …] [--endpoint …]
  tessera tenant import <id> --in <file.jsonl> [--table …] [--endpoint …]
                                 Back up a tenant (metadata versions, users, teams, records with history,
                                 counters) and restore it into an empty tenant (any id).

Exit codes: 0 success, 1 problems found or refused, 2 usage or input error.`;

interface Source {
  bundle: MetadataBundle;
  /** Where each object came from, by its index in the bundle. */
  files: string[];
  /** A folder has one file per object; a bundle file holds them all. */
  kind: 'folder' | 'file';
  rolesFile?: string;
  /** The folder, when its kinds (`automationRules.json`, …) are files in it. */
  dir?: string;
}

function readSource(target: string): Source {
  const path = existsSync(target) ? resolve(target) : join(templatesDir(), target);
  if (!existsSync(path)) throw new Error(`no such file, folder or template: ${target}`);
  if (statSync(path).isFile()) {
    const bundle = JSON.parse(readFileSync(path, 'utf8')) as MetadataBundle;
    return { bundle, files: (bundle.objects ?? []).map(() => path), kind: 'file' };
  }
  const dir = join(path, 'objects');
  if (!existsSync(dir)) throw new Error(`${path} has no objects/ folder`);
  const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const files = names.map((f) => join(dir, f));
  const rolesFile = join(path, 'roles.json');
  const roles = existsSync(rolesFile) ? JSON.parse(readFileSync(rolesFile, 'utf8')) : [];
  const own: MetadataBundle = { objects: files.map((f) => JSON.parse(readFileSync(f, 'utf8'))), roles, ...readKindFiles(path) };
  // A template is validated with what it requires; problems are still reported against its own files.
  const manifestFile = join(path, 'manifest.json');
  const requires: string[] = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')).requires ?? []) : [];
  if (requires.length === 0) return { bundle: own, files, kind: 'folder', rolesFile, dir: path };
  const base = requires.map((r) => resolveTemplate(requiredName(r))).reduce(mergeBundles, { objects: [], roles: [] });
  const bundle = mergeBundles(base, own);
  const fileOf = new Map(own.objects.map((o, i) => [o.name, files[i]!] as const));
  return { bundle, files: bundle.objects.map((o) => fileOf.get(o.name) ?? `(required) ${o.name}`), kind: 'folder', rolesFile, dir: path };
}

/** `/objects/3/fields/2` of the bundle → `objects/opportunity.json#/fields/2`. */
function locate(pointer: string, source: Source, cwd: string): string {
  const rel = (file: string) => (file.startsWith(cwd) ? file.slice(cwd.length + 1) : file);
  const role = /^\/roles(\/.*)?$/.exec(pointer);
  if (role && source.kind === 'folder' && source.rolesFile) return `${rel(source.rolesFile)}#${role[1] ?? ''}`;
  const kind = /^\/(\w+)(\/.*)?$/.exec(pointer);
  if (kind && source.kind === 'folder' && source.dir && (KIND_FILES as readonly string[]).includes(kind[1]!)) return `${rel(join(source.dir, `${kind[1]}.json`))}#${kind[2] ?? ''}`;
  const m = /^\/objects\/(\d+)(.*)$/.exec(pointer);
  const file = m ? source.files[Number(m[1])] : undefined;
  if (!m || !file) return pointer || '/';
  return source.kind === 'file' ? `${rel(file)}#${pointer}` : `${rel(file)}#${m[2] || ''}`;
}

export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const [command, target] = argv;
  if (command === 'tenant') return tenantCommand(argv.slice(1), out, err);
  if (command === 'pull' || command === 'push' || command === 'diff' || command === 'template') return apiCommand(command, argv.slice(1), out, err);
  if (!command || command === 'help' || command === '--help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  if (command !== 'validate' || !target) {
    err(USAGE);
    return 2;
  }
  let source: Source;
  try {
    source = readSource(target);
  } catch (error) {
    err(`tessera: ${(error as Error).message}`);
    return 2;
  }
  const problems = validateMetadata(source.bundle);
  if (problems.length === 0) {
    out(`${basename(target)}: ${source.bundle.objects.length} objects, ${source.bundle.roles?.length ?? 0} roles, no problems`);
    return 0;
  }
  const cwd = process.cwd();
  for (const p of problems) out(`${locate(p.path, source, cwd)}: ${p.code}: ${p.message}`);
  out(`${problems.length} problem(s)`);
  return 1;
}

async function tenantCommand(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { name: { type: 'string' }, 'admin-email': { type: 'string' }, 'admin-password': { type: 'string' }, table: { type: 'string' }, endpoint: { type: 'string' }, out: { type: 'string' }, in: { type: 'string' } },
    });
  } catch (error) {
    err(`tessera: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [sub, id] = parsed.positionals;
  const { name, 'admin-email': email, 'admin-password': password } = parsed.values;
  const table = parsed.values.table ?? process.env.TESSERA_TABLE;
  const endpoint = parsed.values.endpoint ?? process.env.TESSERA_DYNAMODB_ENDPOINT;
  if ((sub === 'export' || sub === 'import') && id && table) {
    const store = { tableName: table, ...(endpoint ? { endpoint } : {}) };
    const doc = createDocumentClient(store);
    try {
      if (sub === 'export') {
        if (!parsed.values.out) return usage(err);
        const stream = createWriteStream(parsed.values.out);
        let lines = 0;
        for await (const line of exportTenant(doc, table, id)) {
          if (!stream.write(line + '\n')) await new Promise<void>((r) => stream.once('drain', () => r()));
          lines++;
        }
        await new Promise<void>((r) => stream.end(r));
        out(`exported ${id}: ${lines - 1} items to ${parsed.values.out}`);
      } else {
        if (!parsed.values.in) return usage(err);
        const lines = createInterface({ input: createReadStream(parsed.values.in), crlfDelay: Infinity });
        const written = await importTenant(doc, table, id, lines);
        out(`imported ${written} items into ${id}`);
      }
      return 0;
    } catch (error) {
      err(`tessera: ${(error as Error).message}`);
      return 1;
    } finally {
      doc.destroy();
    }
  }
  if (sub !== 'create' || !id || !name || !email || !password || !table) {
    err(USAGE);
    return 2;
  }
  const result = await createTenant({ store: { tableName: table, ...(endpoint ? { endpoint } : {}) }, tenantId: id, name, email, password });
  if (!result.ok) {
    for (const line of result.problems) err(`tessera: ${line}`);
    return 1;
  }
  out(`tenant ${id} created; administrator ${email} (${result.adminId})`);
  return 0;
}

const API_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  tenant: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  'dry-run': { type: 'boolean' },
  publish: { type: 'boolean' },
  note: { type: 'string' },
} as const;

async function apiCommand(command: string, argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: API_OPTIONS });
  } catch (error) {
    err(`tessera: ${(error as Error).message}`);
    return 2;
  }
  const v = parsed.values;
  const env = process.env;
  const client = new ApiClient({
    url: v.url ?? env.TESSERA_URL ?? 'http://127.0.0.1:3000',
    ...((v.token ?? env.TESSERA_TOKEN) ? { token: v.token ?? env.TESSERA_TOKEN } : {}),
    ...((v.tenant ?? env.TESSERA_TENANT) ? { tenant: v.tenant ?? env.TESSERA_TENANT } : {}),
    ...((v.email ?? env.TESSERA_EMAIL) ? { email: v.email ?? env.TESSERA_EMAIL } : {}),
    ...((v.password ?? env.TESSERA_PASSWORD) ? { password: v.password ?? env.TESSERA_PASSWORD } : {}),
  });
  const [first, second] = parsed.positionals;
  try {
    if (command === 'template') {
      if ((first !== 'install' && first !== 'upgrade') || !second) return usage(err);
      const result = await client.call('POST', `/api/templates/${second}/${first}`, { publish: v.publish === true });
      for (const c of result.conflicts) out(`conflict ${c.path}: base ${JSON.stringify(c.base)}, yours ${JSON.stringify(c.ours)}, template ${JSON.stringify(c.theirs)}`);
      out(`${first} ${second} ${result.from ?? '-'} → ${result.to}${result.alsoInstalled.length ? ` (also installed ${result.alsoInstalled.join(', ')})` : ''}; ${result.published ? `published version ${result.published.version}` : 'in the draft'}`);
      return result.conflicts.length ? 1 : 0;
    }
    if (!first) return usage(err);
    if (command === 'pull') {
      const head = await client.call('GET', '/api/metadata');
      const { version, publishedAt: _a, publishedBy: _b, ...bundle } = head;
      const files = writeMetadataFolder(first, bundle as MetadataBundle, { name: 'tenant-metadata', version: `0.0.${version}`, industry: 'custom', label: { en: 'Tenant metadata' }, description: { en: `Pulled from version ${version}`, 'zh-CN': `拉取自版本 ${version}` }, requires: [] });
      out(`pulled version ${version}: ${files.length} files into ${first}`);
      return 0;
    }
    const local = readMetadataFolder(first);
    const head = await client.call('GET', '/api/metadata').catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return { version: 0, objects: [], roles: [] };
      throw error;
    });
    const { version: _v, publishedAt: _p, publishedBy: _pb, ...published } = head;
    const changes = diffMetadata(published as MetadataBundle, local);
    for (const c of changes) out(`${c.op.padEnd(6)} ${c.path}`);
    if (command === 'diff') {
      out(changes.length ? `${changes.length} change(s)` : 'no changes');
      return 0;
    }
    const problems = validateMetadata(local);
    if (problems.length) {
      for (const p of problems) out(`${p.path}: ${p.code}: ${p.message}`);
      out(`${problems.length} problem(s); nothing pushed`);
      return 1;
    }
    if (changes.length === 0) {
      out('no changes; nothing to publish');
      return 0;
    }
    if (v['dry-run']) {
      out(`dry run: would publish ${changes.length} change(s) as version ${Number(head.version) + 1}`);
      return 0;
    }
    await client.call('PUT', '/api/metadata/draft', local);
    const result = await client.call('POST', '/api/metadata/publish', v.note ? { note: v.note } : {});
    out(`published version ${result.version} (${changes.length} change(s))`);
    return 0;
  } catch (error) {
    if (error instanceof ApiError) {
      err(`tessera: ${error.status} ${error.body?.code ?? ''} ${error.message}`);
      for (const p of error.body?.errors ?? []) err(`  ${p.pointer}: ${p.code}: ${p.message}`);
      return 1;
    }
    err(`tessera: ${(error as Error).message}`);
    return 2;
  }
}

function usage(err: (line: string) => void): number {
  err(USAGE);
  return 2;
}
