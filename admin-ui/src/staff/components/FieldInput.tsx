/**
 * One control per field type, holding values exactly as the API does (dates as `YYYY-MM-DD`,
 * datetimes as ISO instants, lookups and users as ids). Used by forms, inline edit, bulk change
 * and filters, so a value means the same everywhere.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { DatePicker, Input, InputNumber, Select, Switch } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { FieldDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import { indexesOf } from '../listQuery';
import { listRecords, search } from '../staffApi';
import { recordName } from '../format';

export interface FieldInputProps {
  readonly field: FieldDef;
  readonly value?: unknown;
  readonly onChange?: (value: unknown) => void;
  readonly id?: string;
  readonly disabled?: boolean;
  /** The values a picklist may take here (record type, dependent picklist); all active options otherwise. */
  readonly allowed?: readonly unknown[] | null;
  readonly autoFocus?: boolean;
  readonly onBlur?: () => void;
  readonly onPressEnter?: () => void;
  readonly status?: 'error';
}

const TEXTAREA_ROWS = { minRows: 2, maxRows: 8 };

export function FieldInput(props: FieldInputProps) {
  const { field, value, onChange, id, disabled, autoFocus, onBlur, onPressEnter, status } = props;
  const common = { id, disabled, autoFocus, onBlur, status, 'data-testid': `input-${field.name}` };
  switch (field.type) {
    case 'textarea':
      // Empty, two rows are what autoSize would measure: it measures (a forced style recalculation
      // of the page per textarea, ~6 ms each in a 50-field form) only once there is text to fit.
      return <Input.TextArea {...common} value={(value as string) ?? ''} onChange={(e) => onChange?.(e.target.value)} rows={2} autoSize={value ? TEXTAREA_ROWS : false} />;
    case 'number':
    case 'currency':
    case 'percent': {
      const scale = typeof field.scale === 'number' ? field.scale : field.type === 'currency' ? 2 : undefined;
      return (
        <InputNumber
          {...common}
          style={{ width: '100%' }}
          value={typeof value === 'number' ? value : null}
          onChange={(v) => onChange?.(v ?? null)}
          onPressEnter={onPressEnter}
          {...(scale !== undefined ? { precision: scale } : {})}
          {...(field.min !== undefined ? { min: field.min } : {})}
          {...(field.max !== undefined ? { max: field.max } : {})}
          {...(field.type === 'percent' ? { suffix: '%' } : field.type === 'currency' && field.currency ? { prefix: field.currency } : {})}
        />
      );
    }
    case 'date':
      return (
        <DatePicker
          {...common}
          style={{ width: '100%' }}
          value={typeof value === 'string' && value ? dayjs(value) : null}
          onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : null)}
        />
      );
    case 'datetime':
      return (
        <DatePicker
          {...common}
          showTime
          style={{ width: '100%' }}
          value={typeof value === 'string' && value ? dayjs(value) : null}
          onChange={(d) => onChange?.(d ? d.toISOString() : null)}
        />
      );
    case 'boolean':
      return <Switch id={id} disabled={disabled} checked={value === true} onChange={(v) => onChange?.(v)} data-testid={`input-${field.name}`} />;
    case 'picklist':
    case 'multi-picklist':
      return <PicklistSelect {...props} />;
    case 'user':
      return <UserSelect {...props} />;
    case 'lookup':
      return <LookupSelect {...props} target={field.target} />;
    default:
      return <Input {...common} value={(value as string) ?? ''} onChange={(e) => onChange?.(e.target.value)} onPressEnter={onPressEnter} type={field.type === 'email' ? 'email' : field.type === 'url' ? 'url' : 'text'} />;
  }
}

/** The options of a picklist (those `allowed` here, and whatever is chosen), with their colours, in the user's language. */
function PicklistSelect(props: FieldInputProps) {
  const { field, value, onChange, id, disabled, autoFocus, onBlur, status } = props;
  const { label } = useLanguage();
  const common = { id, disabled, autoFocus, onBlur, status, 'data-testid': `input-${field.name}` };
  if (field.type !== 'picklist' && field.type !== 'multi-picklist') return null;
  const chosen = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const options = field.options
    .filter((o) => (!o.inactive && (!props.allowed || props.allowed.includes(o.value))) || chosen.includes(o.value))
    .map((o) => ({ value: o.value, label: <span>{o.color && <span style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: o.color, marginInlineEnd: 6 }} />}{label(o.label, o.value)}</span>, title: label(o.label, o.value) }));
  return (
    <Select
      {...common}
      style={{ width: '100%' }}
      allowClear
      showSearch={{ optionFilterProp: 'title' }}
      mode={field.type === 'multi-picklist' ? 'multiple' : undefined}
      value={field.type === 'multi-picklist' ? chosen : (value ?? undefined)}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
    />
  );
}

/** A user of the directory; the only control that reads it, so the others do not re-render when the staff data changes. */
function UserSelect({ field, value, onChange, id, disabled, autoFocus, onBlur, status }: FieldInputProps) {
  const { users } = useStaff();
  return (
    <Select
      id={id}
      disabled={disabled}
      autoFocus={autoFocus}
      onBlur={onBlur}
      status={status}
      data-testid={`input-${field.name}`}
      style={{ width: '100%' }}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      value={(value as string) ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={users.filter((u) => u.active || u.id === value).map((u) => ({ value: u.id, label: u.name }))}
    />
  );
}

/**
 * A record of the lookup's target, found as the user types: through the name-prefix search
 * when the target's name field is indexed, otherwise a list filtered by name prefix (a bounded
 * read the list API serves); the newest records before anything is typed.
 */
function LookupSelect({ target, value, onChange, id, disabled, autoFocus, onBlur, status, field }: FieldInputProps & { target: string }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const { object, nameOf, rememberNames } = useStaff();
  const def = object(target);
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const searchable = useMemo(() => (def ? indexesOf(def).some((i) => i.equals.length === 0 && i.sort === def.nameField) : false), [def]);
  const find = async (q: string) => {
    if (!def) return;
    const mine = ++seq.current;
    setLoading(true);
    try {
      const items = q && searchable
        ? ((await search(q, [target], 20)).results.find((r) => r.object === target)?.items ?? [])
        : (await listRecords(target, { filters: q ? [{ field: def.nameField, op: 'startsWith', value: q }] : [], sort: null, limit: 20 })).items;
      if (mine !== seq.current) return;
      rememberNames(target, items);
      setOptions(items.map((r) => ({ value: r.id, label: recordName(def, r, language) })));
    } catch {
      if (mine === seq.current) setOptions([]);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };
  useEffect(() => {
    if (typeof value === 'string' && value) nameOf(target, value);
  }, [value, target, nameOf]);
  const current = typeof value === 'string' && value ? [{ value, label: nameOf(target, value) ?? value }] : [];
  const merged = [...current.filter((c) => !options.some((o) => o.value === c.value)), ...options];
  return (
    <Select
      id={id}
      data-testid={`input-${field.name}`}
      style={{ width: '100%' }}
      disabled={disabled || !def}
      autoFocus={autoFocus}
      onBlur={onBlur}
      status={status}
      allowClear
      showSearch={{ filterOption: false, onSearch: (q) => void find(q) }}
      loading={loading}
      placeholder={def ? t('form.lookupPlaceholder') : t('form.lookupUnavailable')}
      notFoundContent={loading ? null : t('form.lookupNone')}
      onOpenChange={(open) => open && options.length === 0 && void find('')}
      value={(value as string) || undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={merged}
    />
  );
}
