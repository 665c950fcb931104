/**
 * A roll-up's definition as choices instead of names: the child objects that look up to this
 * one, the child's lookups to it, a numeric field to summarise (none for count), and the
 * children that count (`where`: field = value rows with inputs of the field's type).
 */
import { Button, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { inputOf } from '../rules/facts';
import type { ObjectDef, RollupField } from '../types';
import { useLanguage } from '../useLanguage';
import { ValueInput } from './rules/ValueInput';

const NUMERIC = new Set(['number', 'currency', 'percent']);
const NO_SOURCES = { users: [], teams: [], roles: [], fields: [] };

/** Objects with a lookup to `parent`: the children a roll-up may summarise. */
export const childObjects = (objects: readonly ObjectDef[], parent: string) => objects.filter((o) => o.fields.some((f) => f.type === 'lookup' && f.target === parent));

type Key = 'child' | 'via' | 'field' | 'where';

interface Props {
  readonly setting: Key;
  readonly field: Partial<RollupField>;
  /** The object the roll-up belongs to (its name; the object may be new). */
  readonly parent: string;
  readonly objects: readonly ObjectDef[];
  readonly onChange: (patch: Partial<RollupField>) => void;
}

export function RollupSetting({ setting, field, parent, objects, onChange }: Props) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const child = objects.find((o) => o.name === field.child);
  const opt = (o: { name: string; label: Record<string, string | undefined> }) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` });
  switch (setting) {
    case 'child':
      return <Select data-testid="rollup-child" showSearch optionFilterProp="label" value={field.child || undefined} options={childObjects(objects, parent).map(opt)}
        onChange={(c: string) => {
          const lookups = objects.find((o) => o.name === c)?.fields.filter((f) => f.type === 'lookup' && f.target === parent) ?? [];
          onChange({ child: c, via: lookups.length === 1 ? lookups[0]!.name : '', field: undefined, where: undefined });
        }} />;
    case 'via':
      return <Select data-testid="rollup-via" value={field.via || undefined} onChange={(via: string) => onChange({ via })}
        options={(child?.fields ?? []).filter((f) => f.type === 'lookup' && f.target === parent).map(opt)} />;
    case 'field':
      return <Select data-testid="rollup-field" allowClear disabled={field.function === 'count'} placeholder={field.function === 'count' ? t('rollup.countTakesNone') : undefined}
        value={field.field} onChange={(f?: string) => onChange({ field: f })} options={(child?.fields ?? []).filter((f) => NUMERIC.has(f.type)).map(opt)} />;
    default: {
      const where = Object.entries(field.where ?? {});
      const set = (entries: Array<[string, string | number | boolean]>) => onChange({ where: entries.length ? Object.fromEntries(entries) : undefined });
      return (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {where.map(([name, value], i) => {
            const f = child?.fields.find((x) => x.name === name);
            return (
              <Space key={name} wrap>
                <Select style={{ width: 180 }} value={name} onChange={(n: string) => set(where.map((e, j) => (j === i ? [n, e[1]] : e)))} options={(child?.fields ?? []).map(opt)} />
                =
                <ValueInput input={f ? inputOf(f) : 'text'} choices={f?.type === 'picklist' ? f.options.map((o) => ({ value: o.value, label: label(o.label, o.value) })) : undefined}
                  sources={NO_SOURCES} value={value} onChange={(v) => set(where.map((e, j) => (j === i ? [name, v as string | number | boolean] : e)))} />
                <Button size="small" type="text" danger onClick={() => set(where.filter((_, j) => j !== i))}>⨯</Button>
              </Space>
            );
          })}
          <Select placeholder={t('rollup.addCondition')} style={{ width: 220 }} value={null} disabled={!child}
            onChange={(n: string) => set([...where, [n, '']])} options={(child?.fields ?? []).filter((f) => !(f.name in (field.where ?? {}))).map(opt)} />
        </Space>
      );
    }
  }
}
