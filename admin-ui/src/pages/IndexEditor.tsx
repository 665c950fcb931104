/** An object's declared indexes: equality fields plus an optional sort field — what lists may filter and sort by with a Query. */
import { Button, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IndexDef } from '../types';
import { useLanguage } from '../useLanguage';

/** Declared indexes and `indexed` fields share the table's index slots. */
export const MAX_INDEXES = 5;

interface Props {
  readonly indexes: IndexDef[];
  readonly fields: ReadonlyArray<{ name: string; label: Record<string, string | undefined>; type: string; indexed?: boolean }>;
  readonly onChange: (indexes: IndexDef[]) => void;
  /** Messages by the setting under `indexes` (`0/equals/1`). */
  readonly problems: ReadonlyArray<{ setting: string; message: string }>;
}

export function IndexEditor({ indexes, fields, onChange, problems }: Props) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const at = (i: number, key: string) => {
    const messages = problems.filter((p) => p.setting === `indexes/${i}/${key}` || p.setting.startsWith(`indexes/${i}/${key}/`)).map((p) => p.message);
    return messages.length ? { validateStatus: 'error' as const, help: messages.join('; ') } : {};
  };
  const set = (i: number, patch: Partial<IndexDef>) => onChange(indexes.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const options = fields.filter((f) => !['multi-picklist', 'textarea', 'formula', 'rollup'].includes(f.type)).map((f) => ({ value: f.name, label: `${label(f.label, f.name)} (${f.name})` }));
  const used = indexes.length + fields.filter((f) => f.indexed).length;
  const loose = problems.filter((p) => p.setting === 'indexes' || !/^indexes\/\d+\/(name|equals|sort)/.test(p.setting));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="index-editor">
      <Typography.Text type={used > MAX_INDEXES ? 'danger' : 'secondary'}>{t('indexes.slots', { used, max: MAX_INDEXES })}</Typography.Text>
      <Table<IndexDef> size="small" rowKey={(_, i) => String(i)} pagination={false} dataSource={indexes} columns={[
        { title: t('rules.name'), key: 'name', render: (_, x, i) => <Form.Item style={{ margin: 0 }} {...at(i, 'name')}><Input value={x.name} onChange={(e) => set(i, { name: e.target.value })} /></Form.Item> },
        { title: t('indexes.equals'), key: 'equals', render: (_, x, i) => <Form.Item style={{ margin: 0 }} {...at(i, 'equals')}><Select mode="multiple" style={{ minWidth: 220 }} value={x.equals} onChange={(equals: string[]) => set(i, { equals })} options={options} /></Form.Item> },
        { title: t('indexes.sort'), key: 'sort', render: (_, x, i) => <Form.Item style={{ margin: 0 }} {...at(i, 'sort')}><Select allowClear style={{ minWidth: 180 }} value={x.sort} onChange={(sort?: string) => { const { sort: _s, ...rest } = x; onChange(indexes.map((y, j) => (j === i ? (sort ? { ...rest, sort } : rest) : y))); }} options={[...options, { value: 'created_at', label: 'created_at' }, { value: 'updated_at', label: 'updated_at' }]} /></Form.Item> },
        { key: 'remove', render: (_, __, i) => <Button size="small" type="text" danger onClick={() => onChange(indexes.filter((_, j) => j !== i))}>⨯</Button> },
      ]} />
      {loose.map((p, i) => <Typography.Text key={i} type="danger">{p.message}</Typography.Text>)}
      <Button size="small" data-testid="add-index" onClick={() => onChange([...indexes, { name: `by_${indexes.length + 1}`, equals: [] }])}>{t('indexes.add')}</Button>
    </Space>
  );
}
