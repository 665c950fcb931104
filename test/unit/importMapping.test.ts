import { describe, expect, it } from 'vitest';
import { cellValue } from '../../functions/engine/imports/mapping';
import type { FieldDef } from '../../functions/engine/metadata/types';

const f = (def: Partial<FieldDef> & { type: FieldDef['type'] }) => ({ name: 'x', label: { en: 'X' }, ...def }) as FieldDef;
const stage = f({ type: 'picklist', options: [{ value: 'won', label: { en: 'Closed won', 'zh-CN': '赢单' } }, { value: 'lost', label: { en: 'Lost' } }] } as never);
const tags = f({ type: 'multi-picklist', options: [{ value: 'a', label: { en: 'Alpha' } }, { value: 'b', label: { en: 'Beta', 'zh-CN': '贝塔' } }] } as never);
const users = (email: string) => (email === 'li@x.test' ? '01J0000000000000000000USER' : undefined);

describe('a CSV cell as a field value', () => {
  it.each([
    { title: 'a number with thousands separators', field: f({ type: 'number' }), cell: '1,234.5', out: 1234.5 },
    { title: 'a currency with a symbol', field: f({ type: 'currency' }), cell: '¥1,200', out: 1200 },
    { title: 'a percent with its sign', field: f({ type: 'percent' }), cell: '12.5%', out: 12.5 },
    { title: 'text where a number belongs (left for validation)', field: f({ type: 'number' }), cell: 'many', out: 'many' },
    { title: 'yes in Chinese', field: f({ type: 'boolean' }), cell: '是', out: true },
    { title: 'no', field: f({ type: 'boolean' }), cell: 'No', out: false },
    { title: 'a date with slashes', field: f({ type: 'date' }), cell: '2026/3/7', out: '2026-03-07' },
    { title: 'a Chinese date', field: f({ type: 'date' }), cell: '2026年3月7日', out: '2026-03-07' },
    { title: 'a picklist label in English', field: stage, cell: 'closed WON', out: 'won' },
    { title: 'a picklist label in Chinese', field: stage, cell: '赢单', out: 'won' },
    { title: 'a multi-picklist of values and labels', field: tags, cell: 'a; 贝塔', out: ['a', 'b'] },
    { title: 'a user by e-mail', field: f({ type: 'user' }), cell: 'LI@x.test', out: '01J0000000000000000000USER' },
    { title: 'a blank cell (left out)', field: f({ type: 'text' }), cell: '   ', out: undefined },
  ])('$title', ({ field, cell, out }) => expect(cellValue(field, cell, users)).toEqual(out));
});
