/** Saved views of a list: pick one (the user's own, private or shared, and others' shared ones), save, save as, delete. */
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { useStaff } from '../StaffContext';
import type { SavedView, SavedViewBody } from '../staffApi';
import { deleteView, saveView } from '../staffApi';

export function ViewBar({ object, views, current, body, onPick, onSaved, onDeleted }: {
  object: string;
  views: SavedView[] | null;
  current: SavedView | null;
  /** The list as it stands now, to save. */
  body: Omit<SavedViewBody, 'name' | 'shared'>;
  onPick: (view: SavedView | null) => void;
  onSaved: (view: SavedView) => void;
  onDeleted: (view: SavedView) => void;
}) {
  const { t } = useTranslation('staff');
  const { message } = App.useApp();
  const { nameOf } = useStaff();
  const [saving, setSaving] = useState(false);
  const [asNew, setAsNew] = useState(false);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();

  const persist = async (name: string, shared: boolean, existing?: SavedView) => {
    setSaving(true);
    try {
      const view = await saveView(object, { ...body, name, shared }, existing);
      message.success(t('views.saved'));
      setAsNew(false);
      onSaved(view);
    } catch (e) {
      if (e instanceof ApiError && e.problems.length) {
        const nameProblems = e.problems.filter((p) => p.pointer === '/name').map((p) => p.message);
        if (asNew && nameProblems.length) form.setFields([{ name: 'name', errors: nameProblems }]);
        message.error([e.message, ...e.problems.filter((p) => p.pointer !== '/name').map((p) => p.message)].join(' — '));
      } else message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  const options = [
    { value: '', label: t('views.default') },
    ...(views ?? []).map((v) => ({ value: v.id, label: `${v.name}${v.shared ? (v.mine ? ` · ${t('views.shared')}` : ` · ${nameOf('user', v.owner) ?? ''}`) : ''}` })),
  ];
  return (
    <Space wrap data-testid="view-bar">
      <Select
        style={{ minWidth: 200 }}
        loading={views === null}
        value={current?.id ?? ''}
        onChange={(id: string) => onPick(views?.find((v) => v.id === id) ?? null)}
        options={options}
        data-testid="view-select"
      />
      {current?.adjusted && <Tooltip title={t('views.adjusted')}><span>⚠</span></Tooltip>}
      {current?.mine && <Button loading={saving} onClick={() => void persist(current.name, current.shared, current)} data-testid="save-view">{t('views.save')}</Button>}
      <Button onClick={() => { form.setFieldsValue({ name: '', shared: false }); setAsNew(true); }} data-testid="save-view-as">{t('views.saveAs')}</Button>
      {current?.mine && (
        <Popconfirm title={t('views.deleteConfirm', { name: current.name })} onConfirm={async () => {
          try {
            await deleteView(current);
            onDeleted(current);
          } catch (e) {
            message.error(e instanceof Error ? e.message : String(e));
          }
        }}>
          <Button danger type="text">{t('views.delete')}</Button>
        </Popconfirm>
      )}
      <Modal open={asNew} title={t('views.saveAs')} onCancel={() => setAsNew(false)} onOk={() => form.submit()} confirmLoading={saving} okButtonProps={{ 'data-testid': 'save-view-ok' } as React.ComponentProps<typeof Button>} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => void persist(v.name, v.shared ?? false)}>
          <Form.Item name="name" label={t('views.name')} rules={[{ required: true, message: t('views.nameRequired') }]}>
            <Input maxLength={80} autoFocus data-testid="view-name" />
          </Form.Item>
          <Form.Item name="shared" label={t('views.share')} valuePropName="checked" extra={t('views.shareHelp')}>
            <Switch data-testid="view-shared" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
