import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMetadata } from '../../functions/engine/metadata/validateMetadata';
import { FIELD_TYPES } from '../../functions/engine/metadata/types';
import type { FieldDef, MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';
import { FIELD_REGISTRY } from '../../functions/engine/fields';
import fieldSchema from '../../metadata/schema/field.schema.json' with { type: 'json' };
import { listTemplates, loadTemplate, resolveTemplate, templatesDir } from '../../functions/api/templates/catalog';
import { join } from 'node:path';

const label = (en: string) => ({ en, 'zh-CN': en });
const obj = (name: string, fields: FieldDef[], extra: Partial<ObjectDef> = {}): ObjectDef => ({ name, label: label(name), nameField: fields[0]!.name, fields, ...extra });
const text = (name: string, extra: Partial<FieldDef> = {}) => ({ name, type: 'text', label: label(name), ...extra }) as FieldDef;

describe('metadata validation', () => {
  it('every field type in the registry has a branch in the field meta-schema, and no other', () => {
    const inSchema = fieldSchema.oneOf.map((b) => b.properties.type.const).sort();
    expect(inSchema).toEqual([...FIELD_TYPES].sort());
    expect(Object.keys(FIELD_REGISTRY).sort()).toEqual([...FIELD_TYPES].sort());
  });

  it.each(listTemplates())('template %s is valid with what it requires', (name) => {
    expect(validateMetadata(resolveTemplate(name))).toEqual([]);
    expect(loadTemplate(join(templatesDir(), name)).manifest.name).toBe(name);
  });

  it('reports every problem at once, each at a JSON pointer', () => {
    const bundle = {
      objects: [
        obj('deal', [
          text('name'),
          { name: 'stage', type: 'picklist', label: label('Stage'), options: [{ value: 'a', label: label('A') }], default: 'zzz' },
          { name: 'account', type: 'lookup', label: label('Account'), target: 'nowhere' },
          text('name'),
          { name: 'id', type: 'number', label: label('Id') },
          { name: 'amount', type: 'number', label: label('Amount'), min: 10, max: 1 },
          { name: 'notes', type: 'textarea', label: label('Notes'), unique: true },
        ] as FieldDef[], { indexes: [{ name: 'by_x', equals: ['missing'] }] }),
        obj('deal', [text('name')]),
      ],
    };
    const problems = validateMetadata(bundle);
    const at = problems.map((p) => `${p.path} ${p.code}`);
    expect(at).toEqual(
      expect.arrayContaining([
        '/objects/0/fields/1/default invalidDefault',
        '/objects/0/fields/2/target unknownObject',
        '/objects/0/fields/3/name duplicate',
        '/objects/0/fields/4/name reserved',
        '/objects/0/fields/5/min range',
        '/objects/0/fields/6/unique notSupported',
        '/objects/0/indexes/0/equals/0 unknownField',
        '/objects/1/name duplicate',
      ]),
    );
  });

  it('reports shape problems of one object without hiding the meaning problems of another', () => {
    const problems = validateMetadata({
      objects: [
        { name: 'Bad Name', label: {}, nameField: 'x', fields: [{ name: 'x', type: 'colour', label: label('x') }] },
        obj('ok', [text('name'), { name: 'parent', type: 'lookup', label: label('P'), target: 'ghost' } as FieldDef]),
      ],
    });
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('/objects/0/name');
    expect(paths).toContain('/objects/0/fields/0/type');
    expect(paths).toContain('/objects/1/fields/1/target');
  });

  it('refuses patterns that can backtrack catastrophically', () => {
    const problems = validateMetadata({ objects: [obj('a', [text('name', { pattern: '^(a+)+$' } as Partial<FieldDef>)])] });
    expect(problems).toEqual([expect.objectContaining({ path: '/objects/0/fields/0/pattern', code: 'unsafePattern' })]);
  });

  it('counts indexed fields against the five index slots', () => {
    const fields = Array.from({ length: 6 }, (_, i) => text(`f${i}`, { indexed: true }));
    const problems = validateMetadata({ objects: [obj('a', fields)] });
    expect(problems).toEqual([expect.objectContaining({ path: '/objects/0/indexes', code: 'tooManyIndexes' })]);
  });

  it('never throws on arbitrary input, only returns problems', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(Array.isArray(validateMetadata(input))).toBe(true);
      }),
      { numRuns: 500 },
    );
    const fieldish = fc.record({ name: fc.string(), type: fc.constantFrom(...FIELD_TYPES, 'nope'), label: fc.anything(), default: fc.anything(), options: fc.anything(), target: fc.string(), min: fc.anything(), max: fc.anything() }, { requiredKeys: ['name', 'type'] });
    fc.assert(
      fc.property(fc.array(fieldish, { maxLength: 6 }), fc.string(), (fields, nameField) => {
        const bundle = { objects: [{ name: 'x', label: label('x'), nameField, fields }] } as unknown as MetadataBundle;
        const problems = validateMetadata(bundle);
        for (const p of problems) expect(p.path.startsWith('/') || p.path === '').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
