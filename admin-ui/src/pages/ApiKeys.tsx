/**
 * Integration API keys (manageUsers): the list without secrets, a new key shown exactly once,
 * and revocation. Without manageUsers the card says so instead of failing.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { useDraft } from '../draft';

interface ApiKey { id: string; name: string; role: string; hint: string; status: 'active' | 'expired' | 'revoked'; createdAt: string; expiresAt: string; revokedAt?: string }
interface NewKey { name: string; role: string; expiresAt?: Dayjs }

const STATUS_COLOR = { active: 'green', expired: 'default', revoked: 'red' } as const;
const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '—');

export function ApiKeys() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { draft } = useDraft();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [denied, setDenied] = useState(false);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<(ApiKey & { key: string }) | null>(null);
  const [form] = Form.useForm<NewKey>();
  const fail = (error: unknown) => message.error(t('common.error', { message: error instanceof ApiError ? [error.message, ...error.problems.map((p) => p.message)].join(' · ') : String(error) }));
  const load = useCallback(async () => {
    try {
      setKeys((await api<{ items: ApiKey[] }>('/api/api-keys')).data.items);
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) setDenied(true);
      else throw error;
    }
  }, []);
  useEffect(() => void load().catch(fail), [load]);

  const roles = ['admin', ...(draft?.bundle.roles ?? []).map((r) => r.name)];
  const create = async (values: NewKey) => {
    try {
      const body = { name: values.name, role: values.role, ...(values.expiresAt ? { expiresAt: values.expiresAt.endOf('day').toISOString() } : {}) };
      const { data } = await api<ApiKey & { key: string }>('/api/api-keys', { method: 'POST', body });
      setCreating(false);
      form.resetFields();
      setIssued(data);
      await load();
    } catch (error) {
      if (error instanceof ApiError && error.problems.length) form.setFields(error.problems.map((p) => ({ name: p.pointer.replace(/^\//, '').split('/')[0] as keyof NewKey, errors: [p.message] })));
      else fail(error);
    }
  };
  const revoke = async (key: ApiKey) => {
    try {
      await api(`/api/api-keys/${key.id}/revoke`, { method: 'POST' });
      message.success(t('apiKeys.revokedNow', { name: key.name }));
      await load();
    } catch (error) {
      fail(error);
    }
  };

  if (denied) return <Alert type="info" title={t('apiKeys.needsManageUsers')} />;
  return (
    <Card size="small" title={t('apiKeys.title')} extra={<Button type="primary" onClick={() => setCreating(true)} data-testid="new-api-key">{t('apiKeys.create')}</Button>}>
      <Table<ApiKey> size="small" rowKey="id" loading={!keys} dataSource={keys ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="api-keys"
        columns={[
          { title: t('apiKeys.name'), dataIndex: 'name' },
          { title: t('apiKeys.role'), dataIndex: 'role', render: (role: string) => <Tag>{role}</Tag> },
          { title: t('apiKeys.key'), dataIndex: 'hint', render: (hint: string) => <Typography.Text code>{hint}</Typography.Text> },
          { title: t('apiKeys.status'), dataIndex: 'status', render: (status: ApiKey['status']) => <Tag color={STATUS_COLOR[status]}>{t(`apiKeys.${status}`)}</Tag> },
          { title: t('apiKeys.created'), dataIndex: 'createdAt', render: day },
          { title: t('apiKeys.expires'), dataIndex: 'expiresAt', render: day },
          { key: 'actions', render: (_: unknown, key) => key.status === 'active' && (
            <Popconfirm title={t('apiKeys.revokeConfirm', { name: key.name })} onConfirm={() => void revoke(key)}>
              <Button size="small" danger>{t('apiKeys.revoke')}</Button>
            </Popconfirm>
          ) },
        ]} />
      <Modal open={creating} title={t('apiKeys.create')} onCancel={() => setCreating(false)} onOk={() => form.submit()} okText={t('apiKeys.create')} cancelText={t('common.cancel')} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={(v) => void create(v)} data-testid="api-key-form">
          <Form.Item name="name" label={t('apiKeys.name')} rules={[{ required: true }]}><Input placeholder="ERP" /></Form.Item>
          <Form.Item name="role" label={t('apiKeys.role')} rules={[{ required: true }]} extra={t('apiKeys.roleHelp')}>
            <Select data-testid="api-key-role" showSearch options={roles.map((r) => ({ value: r, label: r }))} />
          </Form.Item>
          <Form.Item name="expiresAt" label={t('apiKeys.expires')} extra={t('apiKeys.expiresHelp')}><DatePicker /></Form.Item>
        </Form>
      </Modal>
      <Modal open={issued !== null} title={t('apiKeys.issuedTitle', { name: issued?.name ?? '' })} onCancel={() => setIssued(null)} onOk={() => setIssued(null)} cancelButtonProps={{ style: { display: 'none' } }}>
        <Alert type="warning" title={t('apiKeys.issuedOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable code data-testid="issued-key" style={{ wordBreak: 'break-all' }}>{issued?.key}</Typography.Paragraph>
        <Typography.Text type="secondary">{t('apiKeys.howToUse')}</Typography.Text>
      </Modal>
    </Card>
  );
}
