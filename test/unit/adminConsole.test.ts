import { describe, expect, it } from 'vitest';
import { FIELD_TYPES as ENGINE_FIELD_TYPES } from '../../functions/engine/metadata/types';
import { FIELD_TYPES, apiName, changeType, cleanField, newField, requiredSettings, settingsOf } from '../../admin-ui/src/fieldSettings';
import { pickLabel } from '../../admin-ui/src/labels';
import { countForObject, locateProblem, placeProblems, pointerTokens } from '../../admin-ui/src/pointers';

const objects = [
  { name: 'account', fields: [{ name: 'name' }, { name: 'industry' }] },
  { name: 'site_visit', fields: [{ name: 'subject' }, { name: 'status' }, { name: 'a/b' }] },
];

describe('admin console: where a problem belongs', () => {
  it.each([
    { title: 'a field setting in the draft', pointer: '/objects/1/fields/1/options/0/value', place: { object: 'site_visit', fieldIndex: 1, field: 'status', setting: 'options/0/value' } },
    { title: 'an object setting', pointer: '/objects/0/nameField', place: { object: 'account', setting: 'nameField' } },
    { title: 'the field itself', pointer: '/objects/0/fields/1', place: { object: 'account', fieldIndex: 1, field: 'industry', setting: '' } },
    { title: 'a name-based path (diffs, merges)', pointer: '/objects/site_visit/fields/subject/label/en', place: { object: 'site_visit', fieldIndex: 0, field: 'subject', setting: 'label/en' } },
    { title: 'an escaped name', pointer: '/objects/site_visit/fields/a~1b/type', place: { object: 'site_visit', fieldIndex: 2, field: 'a/b', setting: 'type' } },
    { title: 'something outside objects', pointer: '/roles/2/objects/lead', place: { setting: 'roles/2/objects/lead' } },
    { title: 'an object index past the bundle', pointer: '/objects/9/label', place: { setting: 'objects/9/label' } },
  ])('$title: $pointer', ({ pointer, place }) => {
    expect(locateProblem(pointer, objects)).toEqual(place);
  });

  it('reads pointers relative to one object when the answer is about that object', () => {
    expect(locateProblem('/fields/1/max', [], objects[1])).toEqual({ object: 'site_visit', fieldIndex: 1, field: 'status', setting: 'max' });
    expect(locateProblem('/nameField', [], objects[1])).toEqual({ object: 'site_visit', setting: 'nameField' });
  });

  it('groups problems by object and field, and counts them per object', () => {
    const placed = placeProblems([
      { pointer: '/objects/1/fields/1/options/0/value', code: 'pattern', message: 'bad value' },
      { pointer: '/objects/1/fields/1/default', code: 'invalidDefault', message: 'bad default' },
      { pointer: '/objects/1/label', code: 'required', message: 'needs a label' },
      { pointer: '/roles/0', code: 'x', message: 'role' },
    ], objects);
    expect(placed.fields.get('site_visit/1')).toHaveLength(2);
    expect(placed.objects.get('site_visit')?.[0]?.message).toBe('needs a label');
    expect(placed.other.map((p) => p.message)).toEqual(['role']);
    expect(countForObject(placed, 'site_visit')).toBe(3);
    expect(countForObject(placed, 'account')).toBe(0);
  });

  it('splits pointers by RFC 6901', () => {
    expect(pointerTokens('')).toEqual([]);
    expect(pointerTokens('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
  });
});

describe('admin console: field settings come from the meta-schema', () => {
  it('knows every field type the engine knows', () => {
    expect([...FIELD_TYPES].sort()).toEqual([...ENGINE_FIELD_TYPES].sort());
  });

  it.each([
    { type: 'picklist' as const, has: ['options', 'default'] },
    { type: 'lookup' as const, has: ['target'] },
    { type: 'currency' as const, has: ['min', 'max', 'scale', 'currency'] },
    { type: 'auto-number' as const, has: ['pattern', 'start'] },
    { type: 'text' as const, has: ['maxLength', 'pattern', 'default'] },
  ])('$type has its own settings panel: $has', ({ type, has }) => {
    expect(settingsOf(type).map((s) => s.key)).toEqual(expect.arrayContaining(has));
    expect(settingsOf(type).map((s) => s.key)).not.toContain('label');
  });

  it('fills in what a type requires and keeps only what the new type accepts on a type change', () => {
    expect(requiredSettings('lookup')).toContain('target');
    expect(newField('picklist', 'status')).toMatchObject({ options: [] });
    const text = { ...newField('text', 'score'), maxLength: 20, required: true, default: 'x' };
    const number = changeType(text, 'number');
    expect(number).toMatchObject({ name: 'score', type: 'number', required: true });
    expect(number).not.toHaveProperty('maxLength');
    expect(number).not.toHaveProperty('default');
  });

  it('sends only what the admin set', () => {
    expect(cleanField({ name: 'a', type: 'text', label: { en: 'A', 'zh-CN': '' }, help: { en: '' }, default: '', maxLength: undefined })).toEqual({ name: 'a', type: 'text', label: { en: 'A' } });
  });

  it('suggests API names from labels', () => {
    expect(apiName('Site visit')).toBe('site_visit');
    expect(apiName('2nd Contact!')).toBe('f_2nd_contact');
    expect(apiName('现场')).toBe('');
  });

  it('shows tenant labels in the chosen language, falling back to the other', () => {
    expect(pickLabel({ en: 'Account', 'zh-CN': '客户' }, 'zh-CN')).toBe('客户');
    expect(pickLabel({ en: 'Account' }, 'zh-CN')).toBe('Account');
    expect(pickLabel({ 'zh-CN': '客户' }, 'en')).toBe('客户');
    expect(pickLabel(undefined, 'en', 'account')).toBe('account');
  });
});
