import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBundle } from '../../functions/engine/compile/compileBundle';
import { importLanes } from '../../functions/engine/imports/importLanes';
import { rowInput } from '../../functions/engine/imports/mapping';
import type { ImportSettings } from '../../functions/engine/imports/mapping';
import { assignSlots } from '../../functions/engine/metadata/indexes';
import type { MetadataBundle } from '../../functions/engine/metadata/types';

/*
 * Which rows of an import batch may be written side by side: rows sharing a unique value, a
 * duplicate-rule match key or the update's matching key share a lane, in file order.
 */
const L = (en: string) => ({ en });
const bundle: MetadataBundle = {
  objects: [
    {
      name: 'contact',
      label: L('Contact'),
      nameField: 'name',
      fields: [
        { name: 'name', type: 'text', label: L('Name'), required: true },
        { name: 'email', type: 'email', label: L('E-mail'), unique: true },
        { name: 'phone', type: 'phone', label: L('Phone') },
        { name: 'city', type: 'text', label: L('City') },
      ],
    },
  ],
  duplicateRules: [{ name: 'same_phone', object: 'contact', action: 'warn', conditions: [{ type: 'phone', field: 'phone' }] }],
};
const contact = compileBundle('t', 1, bundle, assignSlots(bundle, null, null).storage).object('contact');
const settings: ImportSettings = { mapping: ['name', 'email', 'phone', 'city'], mode: 'create', matchOn: null, automation: true };
const rows = (cells: string[][]) => cells.map((c, i) => ({ row: i + 1, cells: c }));
const lanesOf = (r: ReturnType<typeof rows>, s = settings) => importLanes(contact, s, r, () => undefined, 4).map((lane) => lane.map((x) => x.row));

describe('import lanes', () => {
  it('puts rows with the same unique value (as the field normalises it) in one lane, in file order', () => {
    const r = rows([
      ['A', 'li@x.test', '', ''],
      ['B', 'wang@x.test', '', ''],
      ['C', ' LI@X.test ', '', ''],
      ['D', '', '', ''],
    ]);
    expect(lanesOf(r)).toEqual([[1, 3], [2], [4]]);
  });

  it('joins rows through a duplicate rule’s match key, transitively', () => {
    const r = rows([
      ['A', 'a@x.test', '138-0000-0001', ''],
      ['B', 'b@x.test', '13800000001', ''],
      ['C', 'b@x.test', '', ''],
      ['D', 'd@x.test', '+86 139 0000 0002', ''],
    ]);
    expect(lanesOf(r)).toEqual([[1, 2, 3], [4]]);
  });

  it('keeps rows that update the same record together, and a row with the wrong number of cells alone', () => {
    const upsert: ImportSettings = { ...settings, mode: 'upsert', matchOn: 'city' };
    const r = rows([
      ['A', '', '', 'Hangzhou'],
      ['B', '', '', 'Beijing'],
      ['C', '', '', 'hangzhou'],
      ['D', '', ''],
    ]);
    expect(lanesOf(r, upsert)).toEqual([[1, 3], [2], [4]]);
  });

  it('hands each row on with the write’s input it read (rowInput), so the write does not read it again; null for a row it cannot read', () => {
    const r = rows([
      ['A', 'li@x.test', '138-0000-0001', 'Hangzhou'],
      ['B', 'wang@x.test', ''],
    ]);
    const byRow = new Map(importLanes(contact, settings, r, () => undefined, 4).flat().map((x) => [x.row, x.input] as const));
    expect(byRow.get(1)).toEqual(rowInput(contact, settings, r[0]!.cells, () => undefined));
    expect(byRow.get(1)).toMatchObject({ name: 'A', email: 'li@x.test', city: 'Hangzhou' });
    expect(byRow.get(2)).toBeNull();
  });

  it('every row is in exactly one lane, and lanes keep file order (property)', () => {
    const cell = fc.constantFrom('', 'li@x.test', 'LI@x.test', 'wang@x.test', '13800000001', '+86 138 0000 0001', 'x');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), cell, cell, cell), { maxLength: 40 }), (cells) => {
        const lanes = lanesOf(rows(cells));
        expect(lanes.flat().sort((a, b) => a - b)).toEqual(cells.map((_, i) => i + 1));
        for (const lane of lanes) expect([...lane].sort((a, b) => a - b)).toEqual(lane);
      }),
    );
  });
});
