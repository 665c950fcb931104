import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

describe('laws of the house, checked on the source', () => {
  it('the engine is pure: no AWS SDK, middy, node: modules or network', () => {
    for (const file of files(join(ROOT, 'functions/engine'))) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      const impure = imports.filter((i) => i.startsWith('node:') || i.startsWith('@aws-sdk') || i.startsWith('@middy') || ['fs', 'http', 'https', 'net', 'child_process'].includes(i));
      expect(impure, file).toEqual([]);
    }
  });

  it('no code under functions/ issues a Scan, and only the store imports the DynamoDB document client', () => {
    for (const file of files(join(ROOT, 'functions'))) {
      const text = readFileSync(file, 'utf8');
      expect(text.includes('ScanCommand'), file).toBe(false);
      if (text.includes("from '@aws-sdk/lib-dynamodb'") && !file.includes('/functions/store/')) {
        expect(text, file).toMatch(/import type \{[^}]*\} from '@aws-sdk\/lib-dynamodb'/);
      }
    }
  });
});
