import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

/*
 * A client as an integrator would build one from `GET /api/openapi.json`: types generated
 * with openapi-typescript, calls made with openapi-fetch. The files go to a fresh folder
 * under `test-results/` (inside the repository, so `openapi-fetch` resolves), are type-checked
 * with the TypeScript compiler, and the journey is then imported and run.
 */

/** create → get → list → patch → a stale patch, through the typed per-object paths of `account`. */
export const JOURNEY = `
import createClient from 'openapi-fetch';
import type { paths } from './schema';

export async function journey(baseUrl: string, key: string) {
  const client = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${key}\` } });
  const created = await client.POST('/api/objects/account/records', { body: { name: 'Acme Trading (ERP)', employees: 12, customer_type: 'customer' } });
  if (!created.data) throw new Error(\`create: \${created.response.status} \${JSON.stringify(created.error)}\`);
  const id: string = created.data.id;
  const got = await client.GET('/api/objects/account/records/{id}', { params: { path: { id } } });
  if (!got.data) throw new Error(\`get: \${got.response.status}\`);
  const listed = await client.GET('/api/objects/account/records', { params: { query: { limit: 50 } } });
  if (!listed.data) throw new Error(\`list: \${listed.response.status}\`);
  const version: number = got.data.version;
  const patched = await client.PATCH('/api/objects/account/records/{id}', { params: { path: { id }, header: { 'If-Match': String(version) } }, body: { employees: 13, industry: null } });
  if (!patched.data) throw new Error(\`patch: \${patched.response.status} \${JSON.stringify(patched.error)}\`);
  const stale = await client.PATCH('/api/objects/account/records/{id}', { params: { path: { id }, header: { 'If-Match': String(version) } }, body: { employees: 14 } });
  const employees: number | undefined = patched.data.employees;
  return {
    created: created.data,
    got: got.data,
    listedIds: listed.data.items.map((r) => r.id),
    patchedVersion: patched.data.version,
    employees,
    stale: { status: stale.response.status, code: stale.error?.code },
  };
}
`;

/** Lines the generated types must refuse, each with the reason the test states. */
export const MISUSES: ReadonlyArray<{ reason: string; code: string; mentions: string }> = [
  // openapi-fetch infers its arguments generically, so TypeScript's excess-property check applies to the generated body types themselves.
  { reason: 'a misspelt field', code: `({ name: 'x', employes: 1 }) satisfies components['schemas']['account.create'];`, mentions: 'employes' },
  { reason: 'a field this role may only read (tax_id)', code: `({ name: 'x', tax_id: '91310000' }) satisfies components['schemas']['account.create'];`, mentions: 'tax_id' },
  { reason: 'a create without its required field', code: `client.POST('/api/objects/account/records', { body: { employees: 3 } });`, mentions: "'name'" },
  { reason: 'a picklist value that is not an option', code: `client.POST('/api/objects/account/records', { body: { name: 'x', customer_type: 'nonsense' } });`, mentions: 'nonsense' },
  { reason: 'a delete this role may not do', code: `client.DELETE('/api/objects/account/records/{id}', { params: { path: { id: 'x' } } });`, mentions: '"delete"' },
  { reason: 'a patch without If-Match', code: `client.PATCH('/api/objects/account/records/{id}', { params: { path: { id: 'x' } }, body: {} });`, mentions: 'If-Match' },
];

const misuseSource = (code: string) => `
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
const client = createClient<paths>({ baseUrl: 'http://127.0.0.1' });
export const misuse = () => ${code}
`;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface GeneratedClient {
  readonly dir: string;
  readonly journeyFile: string;
  /** Type errors per file name (`journey.ts`, `misuse0.ts`, …). */
  readonly diagnostics: ReadonlyMap<string, string[]>;
}

/** Generates `schema.ts` from the document, writes the journey and the misuses, and type-checks them all. */
export async function generateClient(document: object): Promise<GeneratedClient> {
  const dir = join(ROOT, 'test-results', 'openapi-client', `${process.pid}-${Date.now().toString(36)}`);
  await mkdir(dir, { recursive: true });
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0]);
  await writeFile(join(dir, 'schema.ts'), astToString(ast));
  await writeFile(join(dir, 'journey.ts'), JOURNEY);
  const files = [join(dir, 'journey.ts')];
  for (const [i, m] of MISUSES.entries()) {
    files.push(join(dir, `misuse${i}.ts`));
    await writeFile(files.at(-1)!, misuseSource(m.code));
  }
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
  });
  const diagnostics = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = d.file ? d.file.fileName.slice(dir.length + 1) : '(global)';
    diagnostics.set(name, [...(diagnostics.get(name) ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
  }
  return { dir, journeyFile: join(dir, 'journey.ts'), diagnostics };
}
