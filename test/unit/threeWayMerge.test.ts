import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { threeWayMerge } from '../../functions/engine/templates/threeWayMerge';
import { satisfies } from '../../functions/engine/templates/semver';
import type { MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';

const L = (en: string) => ({ en });
const obj = (name: string, fields: Array<[string, string]>, extra: Partial<ObjectDef> = {}): ObjectDef => ({
  name,
  label: L(name),
  nameField: fields[0]![0],
  fields: fields.map(([n, label]) => ({ name: n, type: 'text', label: L(label) })),
  ...extra,
});
const B = (...objects: ObjectDef[]): MetadataBundle => ({ objects });

describe('three-way merge of template upgrades', () => {
  const base = B(obj('lead', [['name', 'Name'], ['source', 'Source']]));

  it('takes the template’s change where the tenant changed nothing, and keeps the tenant’s where the template changed nothing', () => {
    const ours = B(obj('lead', [['name', 'Lead name'], ['source', 'Source'], ['my_field', 'Mine']]), obj('own', [['x', 'X']]));
    const theirs = B(obj('lead', [['name', 'Name'], ['source', 'Origin'], ['score', 'Score']]));
    const { merged, conflicts } = threeWayMerge(base, ours, theirs);
    expect(conflicts).toEqual([]);
    const lead = merged.objects.find((o) => o.name === 'lead')!;
    expect(lead.fields.map((f) => [f.name, f.label.en])).toEqual([['name', 'Lead name'], ['source', 'Origin'], ['my_field', 'Mine'], ['score', 'Score']]);
    expect(merged.objects.map((o) => o.name)).toEqual(['lead', 'own']);
  });

  it('keeps the tenant’s value and reports a conflict when both changed the same thing differently', () => {
    const ours = B(obj('lead', [['name', 'Name'], ['source', 'Channel']]));
    const theirs = B(obj('lead', [['name', 'Name'], ['source', 'Origin']]));
    const { merged, conflicts } = threeWayMerge(base, ours, theirs);
    expect(conflicts).toEqual([{ path: '/objects/lead/fields/source/label/en', base: 'Source', ours: 'Channel', theirs: 'Origin' }]);
    expect(merged.objects[0]!.fields[1]!.label.en).toBe('Channel');
  });

  it('removes what the template dropped unless the tenant changed it', () => {
    const theirs = B(obj('lead', [['name', 'Name']]));
    expect(threeWayMerge(base, base, theirs).merged.objects[0]!.fields.map((f) => f.name)).toEqual(['name']);
    const changed = B(obj('lead', [['name', 'Name'], ['source', 'Channel']]));
    const { merged, conflicts } = threeWayMerge(base, changed, theirs);
    expect(merged.objects[0]!.fields.map((f) => f.name)).toEqual(['name', 'source']);
    expect(conflicts.map((c) => c.path)).toEqual(['/objects/lead/fields/source']);
  });

  it('is the identity when the template did not change, and takes theirs when the tenant did not customise', () => {
    const arbitraryLabel = fc.string({ minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(arbitraryLabel, arbitraryLabel, (a, b) => {
        const ours = B(obj('lead', [['name', a]]));
        const theirs = B(obj('lead', [['name', b]]));
        const plain = B(obj('lead', [['name', 'Name']]));
        expect(threeWayMerge(plain, ours, plain).merged).toEqual(ours);
        expect(threeWayMerge(plain, plain, theirs).merged).toEqual(theirs);
      }),
    );
  });

  it.each([
    ['0.2.1', '^0.2', true],
    ['0.3.0', '^0.2', false],
    ['1.4.0', '^1.2', true],
    ['2.0.0', '^1.2', false],
    ['1.1.9', '^1.2', false],
    ['1.0.0', '1.0.0', true],
  ])('%s satisfies %s: %s', (version, range, expected) => expect(satisfies(version, range)).toBe(expected));
});
