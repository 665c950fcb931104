import { describe, expect, it } from 'vitest';
import { computeAccess, rolesBelow } from '../../functions/engine/permissions/access';
import type { MetadataBundle } from '../../functions/engine/metadata/types';

const bundle: MetadataBundle = {
  objects: [
    { name: 'deal', label: { en: 'Deal' }, nameField: 'name', fields: [{ name: 'name', type: 'text', label: { en: 'N' } }, { name: 'cost', type: 'currency', label: { en: 'C' } }, { name: 'notes', type: 'textarea', label: { en: 'T' } }] },
    { name: 'memo', label: { en: 'Memo' }, nameField: 'name', sharing: 'read', fields: [{ name: 'name', type: 'text', label: { en: 'N' } }] },
  ],
  roles: [
    { name: 'boss', label: { en: 'Boss' }, objects: { deal: { read: true, update: true, delete: true, scope: 'subordinates' } } },
    { name: 'rep', label: { en: 'Rep' }, parent: 'boss', objects: { deal: { create: true, read: true, update: true, delete: false, scope: 'own', fields: { cost: 'read' } } } },
    { name: 'clerk', label: { en: 'Clerk' }, parent: 'rep', objects: { deal: { read: true, fieldDefault: 'read', fields: { cost: 'hidden' } }, memo: { read: true } } },
    { name: 'auditor', label: { en: 'Auditor' }, objects: { deal: { modifyAll: true, fieldDefault: 'none', fields: { name: 'read' } } } },
    { name: 'blind', label: { en: 'Blind' }, objects: { deal: { read: false } } },
  ],
};

describe('how roles combine', () => {
  it.each([
    { title: 'a grant from one role is enough', roles: ['rep'], perm: 'create', value: true },
    { title: 'an explicit deny beats another role’s grant', roles: ['boss', 'rep'], perm: 'delete', value: false },
    { title: 'no role mentioning a permission grants nothing', roles: ['clerk'], perm: 'update', value: false },
    { title: 'modifyAll implies update and delete', roles: ['auditor'], perm: 'delete', value: true },
    { title: 'modifyAll implies viewAll', roles: ['auditor'], perm: 'viewAll', value: true },
    { title: 'a denied read beats modifyAll', roles: ['auditor', 'blind'], perm: 'read', value: false },
    { title: 'the built-in admin role grants everything', roles: ['admin'], perm: 'unmask', value: true },
    { title: 'unknown roles grant nothing', roles: ['ghost'], perm: 'read', value: false },
  ])('$title', ({ roles, perm, value }) => {
    expect(computeAccess(bundle, roles).object('deal').can[perm as 'read']).toBe(value);
  });

  it.each([
    { title: 'unlisted fields follow fieldDefault (edit by default)', roles: ['rep'], field: 'notes', level: 'edit' },
    { title: 'a listed level applies', roles: ['rep'], field: 'cost', level: 'read' },
    { title: 'the highest grant wins when nobody hides', roles: ['rep', 'boss'], field: 'cost', level: 'edit' },
    { title: 'hidden from any reading role hides', roles: ['boss', 'clerk'], field: 'cost', level: 'hidden' },
    { title: 'fieldDefault none grants nothing, so the field is hidden', roles: ['auditor'], field: 'notes', level: 'hidden' },
    { title: 'roles that cannot read the object do not shape its fields', roles: ['rep', 'blind'], field: 'name', level: 'hidden' },
  ])('$title', ({ roles, field, level }) => {
    expect(computeAccess(bundle, roles).object('deal').fields.get(field)?.value).toBe(level);
  });

  it('scopes and reach: the union of reading roles’ scopes; viewAll, scope all or sharing reach every record', () => {
    const both = computeAccess(bundle, ['rep', 'boss']).object('deal');
    expect([...both.scopes].sort()).toEqual(['own', 'subordinates']);
    expect(both.readAll).toBe(false);
    expect(computeAccess(bundle, ['auditor']).object('deal')).toMatchObject({ readAll: true, updateAll: true, deleteAll: true });
    expect(computeAccess(bundle, ['clerk']).object('memo')).toMatchObject({ readAll: true, updateAll: false });
    expect(computeAccess(bundle, ['clerk']).object('memo').reach.read).toBe('sharing read');
  });

  it('explains each decision by role', () => {
    const explained = computeAccess(bundle, ['boss', 'rep', 'auditor']).object('deal').permissions.delete;
    expect(explained.decision).toBe('denied');
    expect(explained.contributions).toEqual([
      { role: 'boss', value: true },
      { role: 'rep', value: false },
      { role: 'auditor', value: true, via: 'modifyAll' },
    ]);
  });

  it('walks the role hierarchy downwards for the subordinates scope', () => {
    expect([...rolesBelow(bundle, ['boss'])].sort()).toEqual(['clerk', 'rep']);
    expect([...rolesBelow(bundle, ['clerk'])]).toEqual([]);
  });
});
