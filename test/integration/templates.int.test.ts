import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';
import { listTemplates, resolveTemplate } from '../../functions/api/templates/catalog';
import { createSample } from '../support/recordFactory';
import type { MetadataBundle } from '../../functions/engine/metadata/types';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterEach(() => {
  delete process.env.TESSERA_TEMPLATES_DIR;
});

describe('every template installs into a fresh tenant and takes a record of each object from a suitable role', () => {
  it.each(listTemplates())('%s', async (name) => {
    const t = await api.tenant();
    const install = await api.call('POST', `/api/templates/${name}/install`, { token: t.token, body: { publish: true } });
    expect(install.status, JSON.stringify(install.body)).toBe(200);
    expect(install.body.conflicts).toEqual([]);
    expect(install.body.published.version).toBeGreaterThan(0);

    const bundle: MetadataBundle = resolveTemplate(name);
    const gallery = await api.call('GET', '/api/templates', { token: t.token });
    expect(gallery.body.items.find((g: { name: string }) => g.name === name)).toMatchObject({ installedVersion: expect.any(String), description: { en: expect.any(String), 'zh-CN': expect.any(String) } });

    for (const object of bundle.objects) {
      const role = (bundle.roles ?? []).find((r) => r.objects?.[object.name]?.create === true && r.objects[object.name]!.read === true);
      let token = t.token;
      let userId = t.user.userId;
      if (role) {
        const user = await api.call('POST', '/api/users', { token: t.token, body: { email: `${role.name}.${object.name}@${t.tenantId}.test`, name: role.name, roles: [role.name] } });
        expect(user.status).toBe(201);
        userId = user.body.id;
        token = (await api.services.tokens.sign!({ tenantId: t.tenantId, userId, roles: [] })).token;
      }
      const grant = role?.objects?.[object.name];
      const editable = (_o: string, field: string) => !grant || (grant.fields?.[field] ?? grant.fieldDefault ?? 'edit') === 'edit';
      const created = await createSample(api, bundle, object.name, token, userId, 0, t.token, editable);
      expect(created.status, `${object.name} as ${role?.name ?? 'admin'}: ${JSON.stringify(created.body)}`).toBe(201);
    }
  });
});

function writeTemplate(root: string, version: string, label: string): void {
  const dir = join(root, 'mini');
  mkdirSync(join(dir, 'objects'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ name: 'mini', version, industry: 'test', label: { en: 'Mini' }, description: { en: 'A small template', 'zh-CN': '小模板' }, requires: [] }));
  writeFileSync(
    join(dir, 'objects', 'gizmo.json'),
    JSON.stringify({
      name: 'gizmo',
      label: { en: 'Gizmo' },
      nameField: 'name',
      source: 'mini',
      fields: [
        { name: 'name', type: 'text', label: { en: 'Name' }, required: true },
        { name: 'colour', type: 'text', label: { en: label } },
        ...(version === '1.1.0' ? [{ name: 'size', type: 'number', label: { en: 'Size' } }] : []),
      ],
    }),
  );
}

describe('install, upgrade and uninstall', () => {
  it('an upgrade keeps a customisation made after install, adds what is new, and reports conflicts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tessera-templates-'));
    process.env.TESSERA_TEMPLATES_DIR = root;
    writeTemplate(root, '1.0.0', 'Colour');
    const t = await api.tenant();
    expect((await api.call('POST', '/api/templates/mini/install', { token: t.token, body: { publish: true } })).status).toBe(200);

    // The tenant customises: a field of its own and a new label for the name field.
    const draft = (await api.call('GET', '/api/metadata/draft', { token: t.token })).body.bundle;
    const gizmo = draft.objects.find((o: { name: string }) => o.name === 'gizmo');
    gizmo.fields.push({ name: 'mine', type: 'boolean', label: { en: 'Mine' } });
    gizmo.fields[0].label = { en: 'Gizmo name' };
    await api.publish(t.token, draft);

    writeTemplate(root, '1.1.0', 'Colour');
    const gallery = await api.call('GET', '/api/templates', { token: t.token });
    expect(gallery.body.items[0]).toMatchObject({ name: 'mini', installedVersion: '1.0.0', version: '1.1.0', upgradeAvailable: true });
    const up = await api.call('POST', '/api/templates/mini/upgrade', { token: t.token, body: { publish: true } });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ from: '1.0.0', to: '1.1.0', conflicts: [] });
    const head = await api.call('GET', '/api/metadata', { token: t.token });
    const fields = head.body.objects.find((o: { name: string }) => o.name === 'gizmo').fields;
    expect(fields.map((f: { name: string }) => f.name)).toEqual(['name', 'colour', 'mine', 'size']);
    expect(fields[0].label.en).toBe('Gizmo name');
    expect(head.body.templates).toEqual([{ name: 'mini', version: '1.1.0' }]);

    // Both sides change the same label: the tenant's value stays and the conflict is reported, nothing published.
    const d2 = (await api.call('GET', '/api/metadata/draft', { token: t.token })).body.bundle;
    d2.objects[0].fields[1].label = { en: 'Shade' };
    await api.publish(t.token, d2);
    writeTemplate(root, '1.2.0', 'Hue');
    const conflict = await api.call('POST', '/api/templates/mini/upgrade', { token: t.token, body: { publish: true } });
    expect(conflict.body.conflicts).toEqual([{ path: 'mini:/objects/gizmo/fields/colour/label/en', base: 'Colour', ours: 'Shade', theirs: 'Hue' }]);
    expect(conflict.body.published).toBeNull();
  });

  it('uninstall refuses while records exist, and archives them when asked (a rollback brings them back)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tessera-templates-'));
    process.env.TESSERA_TEMPLATES_DIR = root;
    writeTemplate(root, '1.0.0', 'Colour');
    const t = await api.tenant();
    await api.call('POST', '/api/templates/mini/install', { token: t.token, body: { publish: true } });
    const rec = await api.call('POST', '/api/objects/gizmo/records', { token: t.token, body: { name: 'keep me' } });
    const refused = await api.call('POST', '/api/templates/mini/uninstall', { token: t.token, body: { publish: true } });
    expect(refused.status).toBe(409);
    expect(refused.body.objects).toEqual(['gizmo']);
    const archived = await api.call('POST', '/api/templates/mini/uninstall', { token: t.token, body: { publish: true, archive: true } });
    expect(archived.status).toBe(200);
    expect((await api.call('GET', `/api/objects/gizmo/records/${rec.body.id}`, { token: t.token })).status).toBe(404);
    const versionWithGizmo = archived.body.published.version - 1;
    await api.call('POST', '/api/metadata/rollback', { token: t.token, body: { version: versionWithGizmo } });
    expect((await api.call('GET', `/api/objects/gizmo/records/${rec.body.id}`, { token: t.token })).body.name).toBe('keep me');
  });

  it('installing needs manageTemplates and a template that exists', async () => {
    const t = await api.tenant(undefined, ['admin']);
    expect((await api.call('POST', '/api/templates/nope/install', { token: t.token })).status).toBe(404);
    const u = await api.call('POST', '/api/users', { token: t.token, body: { email: `plain@${t.tenantId}.test`, name: 'Plain', roles: [] } });
    const { token } = await api.services.tokens.sign!({ tenantId: t.tenantId, userId: u.body.id, roles: [] });
    expect((await api.call('POST', '/api/templates/crm-core/install', { token })).status).toBe(403);
  });
});
