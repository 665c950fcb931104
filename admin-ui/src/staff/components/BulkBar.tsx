/** Actions on the selected records — assign owner, change a field, delete — with progress and each record's result. */
import { useState } from 'react';
import { Alert, Button, List, Modal, Popconfirm, Popover, Progress, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldDef, ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import type { BulkOutcome } from '../bulk';
import { bulkDelete, bulkUpdate, summarize } from '../bulk';
import { fieldLabel, recordName } from '../format';
import type { ApiRecord } from '../staffApi';
import { FieldInput } from './FieldInput';

const BULK_TYPES = new Set(['text', 'number', 'currency', 'percent', 'date', 'datetime', 'boolean', 'email', 'phone', 'url', 'picklist', 'multi-picklist', 'lookup', 'user']);

export function BulkBar({ object, selected, onDone, onClear }: { object: ObjectDef; selected: ApiRecord[]; onDone: (changed: ApiRecord[], deleted: string[]) => void; onClear: () => void }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const { can, users } = useStaff();
  const caps = can(object.name);
  const [run, setRun] = useState<{ title: string; total: number; done: BulkOutcome[]; finished: boolean } | null>(null);
  const [owner, setOwner] = useState<string | undefined>();
  const [field, setField] = useState<string | undefined>();
  const [value, setValue] = useState<unknown>(undefined);
  const [open, setOpen] = useState<'owner' | 'field' | null>(null);
  const editable = object.fields.filter((f: FieldDef) => caps.editable.has(f.name) && BULK_TYPES.has(f.type));
  const fieldDef = editable.find((f) => f.name === field);

  const start = async (title: string, work: (progress: (done: BulkOutcome[]) => void) => Promise<BulkOutcome[]>, deleting = false) => {
    setOpen(null);
    setRun({ title, total: selected.length, done: [], finished: false });
    const done = await work((d) => setRun((r) => r && { ...r, done: d }));
    setRun((r) => r && { ...r, done, finished: true });
    onDone(done.flatMap((o) => (o.ok && o.record ? [o.record] : [])), deleting ? done.filter((o) => o.ok).map((o) => o.id) : []);
  };

  if (!selected.length && !run) return null;
  const byId = new Map(selected.map((r) => [r.id, r] as const));
  const counts = run ? summarize(run.done) : { ok: 0, failed: 0 };
  return (
    <>
      {selected.length > 0 && (
        <Alert
          type="info"
          data-testid="bulk-bar"
          title={
            <Space wrap>
              <Typography.Text strong>{t('bulk.selected', { count: selected.length })}</Typography.Text>
              {caps.update && caps.editable.has('owner') && (
                <Popover open={open === 'owner'} onOpenChange={(o) => setOpen(o ? 'owner' : null)} trigger="click" content={
                  <Space orientation="vertical" style={{ width: 260 }}>
                    <Select showSearch={{ optionFilterProp: 'label' }} style={{ width: '100%' }} value={owner} onChange={setOwner} options={users.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))} placeholder={t('bulk.chooseOwner')} data-testid="bulk-owner" />
                    <Button type="primary" block disabled={!owner} data-testid="bulk-owner-apply" onClick={() => void start(t('bulk.assignOwner'), (p) => bulkUpdate(object.name, selected, { owner }, p))}>{t('bulk.apply')}</Button>
                  </Space>
                }>
                  <Button size="small" data-testid="bulk-assign">{t('bulk.assignOwner')}</Button>
                </Popover>
              )}
              {caps.update && editable.length > 0 && (
                <Popover open={open === 'field'} onOpenChange={(o) => setOpen(o ? 'field' : null)} trigger="click" destroyOnHidden content={
                  <Space orientation="vertical" style={{ width: 280 }}>
                    <Select showSearch={{ optionFilterProp: 'label' }} style={{ width: '100%' }} value={field} onChange={(f) => { setField(f); setValue(undefined); }} options={editable.filter((f) => f.name !== 'owner').map((f) => ({ value: f.name, label: fieldLabel(object, f.name, language) }))} placeholder={t('list.field')} data-testid="bulk-field" />
                    {fieldDef && <FieldInput field={fieldDef} value={value} onChange={setValue} />}
                    <Button type="primary" block disabled={!fieldDef} data-testid="bulk-field-apply" onClick={() => void start(t('bulk.changeField'), (p) => bulkUpdate(object.name, selected, { [field!]: value === undefined || value === '' ? null : value }, p))}>{t('bulk.apply')}</Button>
                  </Space>
                }>
                  <Button size="small" data-testid="bulk-change">{t('bulk.changeField')}</Button>
                </Popover>
              )}
              {caps.delete && (
                <Popconfirm title={t('bulk.deleteConfirm', { count: selected.length })} onConfirm={() => void start(t('bulk.delete'), (p) => bulkDelete(object.name, selected, p), true)}>
                  <Button size="small" danger data-testid="bulk-delete">{t('bulk.delete')}</Button>
                </Popconfirm>
              )}
              <Button size="small" type="link" onClick={onClear}>{t('bulk.clear')}</Button>
            </Space>
          }
        />
      )}
      <Modal
        open={run !== null}
        title={run?.title}
        closable={run?.finished ?? false}
        mask={{ closable: false }}
        onCancel={() => setRun(null)}
        footer={run?.finished ? <Button type="primary" onClick={() => { setRun(null); onClear(); }} data-testid="bulk-close">{t('common.close')}</Button> : null}
      >
        {run && (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="bulk-progress">
            <Progress percent={Math.round((run.done.length / run.total) * 100)} status={run.finished ? (counts.failed ? 'exception' : 'success') : 'active'} />
            <Typography.Text data-testid="bulk-summary">{t('bulk.summary', { ok: counts.ok, failed: counts.failed, total: run.total })}</Typography.Text>
            {run.done.some((o) => !o.ok) && (
              <List
                size="small"
                bordered
                style={{ maxHeight: 240, overflow: 'auto' }}
                dataSource={run.done.filter((o) => !o.ok)}
                renderItem={(o) => (
                  <List.Item>
                    <Typography.Text type="danger">{byId.get(o.id) ? recordName(object, byId.get(o.id)!, language) : o.id}: {o.message ?? o.status}</Typography.Text>
                  </List.Item>
                )}
              />
            )}
          </Space>
        )}
      </Modal>
    </>
  );
}
