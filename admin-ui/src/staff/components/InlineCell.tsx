/** A list cell that edits in place where the user may change the field: PATCH with the row's version, the answer's problem shown in the cell. */
import { useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import type { FieldDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import { formatValue, optionColor } from '../format';
import type { ApiRecord } from '../staffApi';
import { getRecord, patchRecord } from '../staffApi';
import { FieldInput } from './FieldInput';

const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

export function InlineCell({ object, field, record, editable, onSaved }: { object: string; field: FieldDef; record: ApiRecord; editable: boolean; onSaved: (r: ApiRecord) => void }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const { nameOf } = useStaff();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState<unknown>(record[field.name]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const text = formatValue(field, record[field.name], language, nameOf);
  const color = optionColor(field, record[field.name]);
  const shown = text ? (color ? <span style={{ borderInlineStart: `3px solid ${color}`, paddingInlineStart: 6 }}>{text}</span> : text) : <Typography.Text type="secondary">—</Typography.Text>;

  if (!editable) return <>{shown}</>;
  if (!editing) {
    return (
      <span
        role="button"
        tabIndex={0}
        className="staff-inline"
        title={t('list.clickToEdit')}
        data-testid={`cell-${field.name}`}
        onClick={(e) => {
          e.stopPropagation();
          setValue(record[field.name]);
          setError(null);
          setEditing(true);
        }}
        onKeyDown={(e) => e.key === 'Enter' && setEditing(true)}
        style={{ cursor: 'text', display: 'inline-block', minWidth: 40, borderBottom: '1px dashed #d9d9d9' }}
      >
        {shown}
      </span>
    );
  }
  const save = async () => {
    const next = blank(value) ? null : value;
    if (JSON.stringify(next) === JSON.stringify(record[field.name] ?? null)) return setEditing(false);
    setSaving(true);
    try {
      const saved = await patchRecord(object, record.id, record.version, { [field.name]: next });
      onSaved(saved);
      setEditing(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        // Someone changed the record meanwhile: take theirs, say so, keep the cell open for another try.
        onSaved(await getRecord(object, record.id));
        setError(t('record.conflict'));
      } else setError(e instanceof ApiError ? (e.problems[0]?.message ?? e.message) : String(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <div onClick={(e) => e.stopPropagation()} style={{ minWidth: 180 }} data-testid={`inline-editor-${field.name}`} onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}>
      <FieldInput field={field} value={value} onChange={setValue} autoFocus onPressEnter={() => void save()} {...(error ? { status: 'error' as const } : {})} />
      {error && <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }} data-testid="inline-error">{error}</Typography.Text>}
      <Space size={4} style={{ marginTop: 4 }}>
        <Button size="small" type="primary" loading={saving} onClick={() => void save()} data-testid="inline-save">{t('common.save')}</Button>
        <Button size="small" onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
      </Space>
    </div>
  );
}
