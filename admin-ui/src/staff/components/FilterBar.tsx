/** The list's filters as removable chips, and a popover to add one: only fields and operators the list API serves. */
import { useMemo, useState } from 'react';
import { Button, Popover, Select, Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldDef, ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import type { FilterOp, ViewFilter } from '../listQuery';
import { filterOffers } from '../listQuery';
import { fieldLabel, formatValue } from '../format';
import { FieldInput } from './FieldInput';

const OWNER_FIELD: FieldDef = { name: 'owner', type: 'user', label: { en: 'Owner', 'zh-CN': '负责人' } };

export function fieldOrOwner(object: ObjectDef, name: string): FieldDef | undefined {
  return name === 'owner' ? OWNER_FIELD : object.fields.find((f) => f.name === name);
}

/** A filter's value as the user reads it. */
export function filterText(object: ObjectDef, f: ViewFilter, language: 'en' | 'zh-CN', nameOf: (kind: string, id: string) => string | undefined, t: (k: string) => string): string {
  const field = fieldOrOwner(object, f.field);
  if (f.op === 'isBlank') return f.value === 'true' ? t('ops.blank') : t('ops.notBlank');
  const one = (v: string) => {
    if (!field) return v;
    const typed = ['number', 'currency', 'percent'].includes(field.type) ? Number(v) : field.type === 'boolean' ? v === 'true' : v;
    return formatValue(field, typed, language, nameOf) || v;
  };
  return f.op === 'in' || f.op === 'between' ? f.value.split(',').map(one).join(f.op === 'between' ? ' – ' : ', ') : one(f.value);
}

export function FilterBar({ object, filters, onChange }: { object: ObjectDef; filters: readonly ViewFilter[]; onChange: (filters: ViewFilter[]) => void }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const { nameOf } = useStaff();
  const [open, setOpen] = useState(false);
  return (
    <Space wrap size={[6, 6]} data-testid="filter-bar">
      {filters.map((f, i) => (
        <Tag
          key={`${f.field}.${f.op}.${i}`}
          closable
          onClose={(e) => {
            e.preventDefault();
            onChange(filters.filter((_, j) => j !== i));
          }}
          color="geekblue"
          data-testid={`filter-chip-${f.field}`}
        >
          {fieldLabel(object, f.field, language)} {t(`ops.${f.op}`)} {f.op === 'isBlank' ? '' : filterText(object, f, language, nameOf, t)}
        </Tag>
      ))}
      <Popover
        open={open}
        onOpenChange={setOpen}
        trigger="click"
        placement="bottomLeft"
        destroyOnHidden
        content={<FilterEditor object={object} onAdd={(f) => { onChange([...filters.filter((x) => !(x.field === f.field && x.op === f.op)), f]); setOpen(false); }} />}
      >
        <Button size="small" data-testid="add-filter">+ {t('list.addFilter')}</Button>
      </Popover>
      {filters.length > 0 && <Button size="small" type="link" onClick={() => onChange([])} data-testid="clear-filters">{t('list.clearFilters')}</Button>}
    </Space>
  );
}

function FilterEditor({ object, onAdd }: { object: ObjectDef; onAdd: (f: ViewFilter) => void }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const offers = useMemo(() => filterOffers(object), [object]);
  const [field, setField] = useState<string | null>(null);
  const offer = offers.find((o) => o.field === field);
  const [op, setOp] = useState<FilterOp>('eq');
  const [value, setValue] = useState<unknown>(undefined);
  const [high, setHigh] = useState<unknown>(undefined);
  const def = field ? fieldOrOwner(object, field) : undefined;
  const text = (v: unknown) => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(',') : String(v));
  const encoded = op === 'isBlank' ? text(value ?? 'true') : op === 'between' ? (text(value) && text(high) ? `${text(value)},${text(high)}` : '') : text(value);
  return (
    <Space orientation="vertical" style={{ width: 300 }} data-testid="filter-editor">
      <Select
        placeholder={t('list.field')}
        style={{ width: '100%' }}
        showSearch={{ optionFilterProp: 'label' }}
        value={field ?? undefined}
        onChange={(f: string) => {
          setField(f);
          setOp('eq');
          setValue(undefined);
        }}
        options={offers.map((o) => ({ value: o.field, label: fieldLabel(object, o.field, language) }))}
        data-testid="filter-field"
      />
      {offer && def && (
        <>
          <Select
            style={{ width: '100%' }}
            value={op}
            onChange={(o: FilterOp) => {
              setOp(o);
              setValue(undefined);
            }}
            options={offer.ops.map((o) => ({ value: o, label: <Tooltip title={offer.indexedOps.includes(o) ? undefined : t('list.boundedFilter')} placement="right"><span>{t(`ops.${o}`)}{offer.indexedOps.includes(o) ? '' : ' ·'}</span></Tooltip> }))}
            data-testid="filter-op"
          />
          {op === 'isBlank' ? (
            <Select style={{ width: '100%' }} value={text(value ?? 'true')} onChange={setValue} options={[{ value: 'true', label: t('ops.blank') }, { value: 'false', label: t('ops.notBlank') }]} />
          ) : op === 'in' ? (
            <FieldInput field={def.type === 'picklist' ? { name: def.name, label: def.label, type: 'multi-picklist', options: def.options } : def} value={value} onChange={setValue} />
          ) : op === 'between' ? (
            <Space.Compact style={{ width: '100%' }}>
              <FieldInput field={def} value={value} onChange={setValue} />
              <FieldInput field={def} value={high} onChange={setHigh} />
            </Space.Compact>
          ) : (
            <FieldInput field={def} value={value} onChange={setValue} onPressEnter={() => encoded && onAdd({ field: field!, op, value: encoded })} />
          )}
          <Button type="primary" block disabled={!encoded} onClick={() => onAdd({ field: field!, op, value: encoded })} data-testid="apply-filter">
            {t('list.applyFilter')}
          </Button>
        </>
      )}
    </Space>
  );
}
