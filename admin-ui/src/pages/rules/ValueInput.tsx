/** An input for a value of one kind (a field's, a role's, a user's …): the condition builder's rows and the actions editor's values use it. */
import { DatePicker, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { EVENTS } from '../../rules/facts';
import type { Choice, InputKind } from '../../rules/facts';

export interface ValueSources {
  readonly users: ReadonlyArray<{ id: string; name: string; email?: string }>;
  readonly teams: ReadonlyArray<{ id: string; name: string }>;
  readonly roles: readonly Choice[];
  /** The object's fields, for `$changed` (field names). */
  readonly fields: readonly Choice[];
}

interface Props {
  readonly input: InputKind;
  readonly choices?: readonly Choice[] | undefined;
  readonly sources: ValueSources;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
  /** A list of values (`in`, `notIn`). */
  readonly multiple?: boolean;
  /** How users are named in the metadata: by id (record values) or by e-mail (assignees kept in git). */
  readonly userKey?: 'id' | 'email';
  readonly status?: 'error' | undefined;
  readonly testId?: string;
}

/** Values as typed: a number input gives numbers, a date picker `YYYY-MM-DD`, a datetime an ISO instant. */
export function ValueInput({ input, choices, sources, value, onChange, multiple, userKey = 'id', status, testId }: Props) {
  const { t } = useTranslation();
  const common = { status, 'data-testid': testId, style: { minWidth: 180 } };
  const pick = (options: ReadonlyArray<{ value: string | boolean; label: string }>) => (
    <Select {...common} showSearch optionFilterProp="label" allowClear mode={multiple ? 'multiple' : undefined} virtual={false}
      value={(multiple ? (Array.isArray(value) ? value : []) : value === '' || value === null ? undefined : value) as string}
      onChange={(v) => onChange(v ?? (multiple ? [] : ''))} options={options.map((o) => ({ value: o.value as string, label: o.label }))} />
  );
  switch (input) {
    case 'option':
    case 'options':
      return pick(choices ?? []);
    case 'boolean':
      return pick([{ value: true, label: t('rules.yes') }, { value: false, label: t('rules.no') }]);
    case 'user':
      return pick(sources.users.map((u) => ({ value: (userKey === 'email' ? u.email : u.id) ?? u.id, label: u.email ? `${u.name} <${u.email}>` : u.name })));
    case 'team':
      return pick(sources.teams.map((team) => ({ value: team.name, label: team.name })));
    case 'role':
      return pick(sources.roles);
    case 'field':
      return pick(sources.fields);
    case 'event':
      return pick(EVENTS.map((e) => ({ value: e, label: t(`rules.events.${e}`) })));
    default:
      break;
  }
  if (multiple) {
    // Free lists (text, numbers, dates): typed as tags, numbers kept as numbers.
    const list = Array.isArray(value) ? value : [];
    return <Select {...common} mode="tags" value={list.map(String)} tokenSeparators={[',']} open={false} suffixIcon={null}
      onChange={(v: string[]) => onChange(input === 'number' ? v.map(Number).filter((n) => Number.isFinite(n)) : v)} />;
  }
  if (input === 'number') {
    return <InputNumber {...common} value={typeof value === 'number' ? value : null} onChange={(v) => onChange(v ?? '')} />;
  }
  if (input === 'date' || input === 'datetime') {
    const parsed = typeof value === 'string' && value ? dayjs(value) : null;
    return <DatePicker {...common} showTime={input === 'datetime'} value={parsed?.isValid() ? parsed : null}
      onChange={(d) => onChange(d ? (input === 'date' ? d.format('YYYY-MM-DD') : d.toISOString()) : '')} />;
  }
  return <Input {...common} value={value === null || value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value)} />;
}
