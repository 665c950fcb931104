import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main';

const run = async (...argv: string[]) => {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l), (l) => lines.push(l));
  return { code, lines };
};

describe('tessera validate', () => {
  it('accepts a valid template by name with exit code 0', async () => {
    const { code, lines } = await run('validate', 'crm-core');
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/no problems/);
  });

  it('prints every problem with its file and pointer and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
    mkdirSync(join(dir, 'objects'));
    writeFileSync(join(dir, 'objects', 'lead.json'), JSON.stringify({ name: 'lead', label: { en: 'Lead' }, nameField: 'nope', fields: [{ name: 'src', type: 'picklist', label: { en: 'S' }, options: [{ value: 'a', label: { en: 'A' } }], default: 'b' }] }));
    const { code, lines } = await run('validate', dir);
    expect(code).toBe(1);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/objects\/lead\.json#\/fields\/0\/default: invalidDefault/), expect.stringMatching(/objects\/lead\.json#\/nameField: unknownField/)]));
  });

  it('exits 2 on usage errors', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('validate', '/no/such/dir')).code).toBe(2);
  });
});
