import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main';
import { createHandler } from '../../functions/api/createHandler';
import { ROUTES } from '../../functions/api/routes';
import { createApiServer } from '../../functions/local/httpAdapter';
import type { LambdaHandler } from '../../functions/local/httpAdapter';
import { createTestApi } from '../support/testApi';
import type { TestApi } from '../support/testApi';

let api: TestApi;
let server: Server;
let url: string;
let token: string;

beforeAll(async () => {
  api = await createTestApi();
  token = (await api.tenant()).token;
  server = createApiServer(createHandler(ROUTES, api.services) as unknown as LambdaHandler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function tessera(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main([...args, '--url', url, '--token', token], (l) => lines.push(l), (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

describe('tessera against a running API', () => {
  it('installs a template, pulls it as files, and push of an unchanged folder is a no-op (round trip)', async () => {
    const installed = await tessera('template', 'install', 'crm-core', '--publish');
    expect(installed.code, installed.out).toBe(0);
    expect(installed.out).toMatch(/published version 1/);

    const dir = mkdtempSync(join(tmpdir(), 'tessera-pull-'));
    const pulled = await tessera('pull', dir);
    expect(pulled.code, pulled.out).toBe(0);
    const before = (await api.call('GET', '/api/metadata', { token })).body;
    const again = await tessera('push', dir);
    expect(again.out).toMatch(/no changes/);
    const after = (await api.call('GET', '/api/metadata', { token })).body;
    expect(after).toEqual(before);

    const dir2 = mkdtempSync(join(tmpdir(), 'tessera-pull-'));
    await tessera('pull', dir2);
    expect(readFileSync(join(dir2, 'objects', 'account.json'), 'utf8')).toBe(readFileSync(join(dir, 'objects', 'account.json'), 'utf8'));
  });

  it('diffs, dry-runs and pushes a change made in the files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-pull-'));
    await tessera('pull', dir);
    const file = join(dir, 'objects', 'account.json');
    const account = JSON.parse(readFileSync(file, 'utf8'));
    account.label.en = 'Customer';
    writeFileSync(file, JSON.stringify(account, null, 2));

    const diff = await tessera('diff', dir);
    expect(diff.out).toContain('change /objects/account/label/en');
    const dry = await tessera('push', dir, '--dry-run');
    expect(dry.out).toMatch(/dry run: would publish 1 change/);
    expect((await api.call('GET', '/api/metadata', { token })).body.objects.find((o: { name: string }) => o.name === 'account').label.en).toBe('Account');

    const pushed = await tessera('push', dir, '--note', 'rename');
    expect(pushed.code, pushed.out).toBe(0);
    expect((await api.call('GET', '/api/metadata', { token })).body.objects.find((o: { name: string }) => o.name === 'account').label.en).toBe('Customer');
  });

  it('refuses to push invalid metadata, printing each problem, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-pull-'));
    await tessera('pull', dir);
    const file = join(dir, 'objects', 'contact.json');
    const contact = JSON.parse(readFileSync(file, 'utf8'));
    contact.nameField = 'nope';
    writeFileSync(file, JSON.stringify(contact));
    const res = await tessera('push', dir);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/nameField: unknownField/);
  });

  it('answers a bad token with exit 1 and the problem', async () => {
    const lines: string[] = [];
    const code = await main(['pull', mkdtempSync(join(tmpdir(), 'tessera-pull-')), '--url', url, '--token', 'x.y.z'], (l) => lines.push(l), (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/401 auth.invalidToken/);
  });
});
