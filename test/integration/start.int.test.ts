import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../functions/local/dynamoLocal';

const ROOT = resolve(import.meta.dirname, '../..');

describe('npm start', () => {
  it('brings up DynamoDB Local, the demo tenant and the API, prints the logins, and stops on SIGINT', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/start.ts', '--memory'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), TESSERA_DEMO_PASSWORD: 'start-test-pass', NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    try {
      const deadline = Date.now() + 60_000;
      while (!out.includes('Ctrl-C stops everything')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`start did not come up:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(out).toContain(`http://127.0.0.1:${port}/api/health`);
      expect(out).toContain('sales@demo.tessera.local');
      expect(out).toContain('start-test-pass');

      const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: 'demo', email: 'sales@demo.tessera.local', password: 'start-test-pass' }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const list = await fetch(`http://127.0.0.1:${port}/api/objects/opportunity/records`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await list.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  }, 90_000);
});
