/** The directory: users, create, deactivate; and "explain access" with each role's part in every decision. */
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { useDraft } from '../draft';
import { useLanguage } from '../useLanguage';

interface User { id: string; email?: string; name: string; roles?: string[]; active: boolean; version?: number; manager?: string }
interface Team { id: string; name: string; members: string[]; version: number }
interface UserEdit { name: string; roles: string[]; manager?: string | null }
interface Contribution { role: string; value: boolean | string | undefined; via?: string }
interface Explained { value: boolean | string; decision: 'granted' | 'denied' | 'unset'; contributions: Contribution[] }
interface Explanation {
  user: { name: string; roles: string[]; unknownRoles: string[] };
  rule: string;
  permissions: Record<string, Explained>;
  fields: Record<string, Explained>;
  scope: { scopes: string[]; owners: 'all' | string[] };
}
interface NewUser { email: string; name: string; roles: string[]; password: string; manager?: string }

const DECISION_COLOR = { granted: 'green', denied: 'red', unset: 'default' } as const;

function Contributions({ list }: { list: Contribution[] }) {
  return <Space wrap size={4}>{list.map((c, i) => (
    <Tag key={i} color={c.value === false || c.value === 'hidden' ? 'red' : c.value === undefined ? 'default' : 'green'}>
      {c.role}: {String(c.value ?? '—')}{c.via ? ` (${c.via})` : ''}
    </Tag>
  ))}</Space>;
}

export default function Users() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { message } = App.useApp();
  const { draft } = useDraft();
  const [users, setUsers] = useState<User[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<NewUser>();
  const [query, setQuery] = useState<{ user?: string; object?: string }>({});
  const [explanation, setExplanation] = useState<Explanation | null>(null);
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [editing, setEditing] = useState<User | null>(null);
  const [editForm] = Form.useForm<UserEdit>();
  const [team, setTeam] = useState<Partial<Team> | null>(null);
  const [teamForm] = Form.useForm<{ name: string; members: string[] }>();
  const load = useCallback(async () => {
    setUsers((await api<{ items: User[] }>('/api/users')).data.items);
    setTeams((await api<{ items: Team[] }>('/api/teams')).data.items);
  }, []);
  useEffect(() => void load(), [load]);
  const fail = (error: unknown) => message.error(t('common.error', { message: error instanceof ApiError ? [error.message, ...error.problems.map((p) => p.message)].join(' · ') : String(error) }));

  const roles = ['admin', ...(draft?.bundle.roles ?? []).map((r) => r.name)];
  const create = async (values: NewUser) => {
    try {
      await api('/api/users', { method: 'POST', body: values });
      message.success(t('users.created', { name: values.name }));
      setCreating(false);
      form.resetFields();
      await load();
    } catch (error) {
      if (error instanceof ApiError && error.problems.length) {
        form.setFields(error.problems.map((p) => ({ name: p.pointer.replace(/^\//, '').split('/')[0] as keyof NewUser, errors: [p.message] })));
      } else fail(error);
    }
  };
  const deactivate = async (user: User) => {
    try {
      await api(`/api/users/${user.id}`, { method: 'PATCH', body: { active: false }, headers: { 'if-match': `"${user.version ?? 1}"` } });
      message.success(t('users.deactivated', { name: user.name }));
      await load();
    } catch (error) {
      fail(error);
    }
  };
  const saveUser = async (values: UserEdit) => {
    if (!editing) return;
    try {
      await api(`/api/users/${editing.id}`, { method: 'PATCH', body: { ...values, manager: values.manager ?? null }, headers: { 'if-match': `"${editing.version ?? 1}"` } });
      message.success(t('users.saved', { name: values.name }));
      setEditing(null);
      await load();
    } catch (error) {
      if (error instanceof ApiError && error.problems.length) editForm.setFields(error.problems.map((p) => ({ name: p.pointer.replace(/^\//, '').split('/')[0] as keyof UserEdit, errors: [p.message] })));
      else fail(error);
    }
  };
  const saveTeam = async (values: { name: string; members: string[] }) => {
    try {
      if (team?.id) await api(`/api/teams/${team.id}`, { method: 'PATCH', body: values, headers: { 'if-match': `"${team.version ?? 1}"` } });
      else await api('/api/teams', { method: 'POST', body: values });
      message.success(t('users.teamSaved', { name: values.name }));
      setTeam(null);
      await load();
    } catch (error) {
      if (error instanceof ApiError && error.problems.length) teamForm.setFields(error.problems.map((p) => ({ name: p.pointer.replace(/^\//, '').split('/')[0] as 'name' | 'members', errors: [p.message] })));
      else fail(error);
    }
  };
  const nameOf = (id: string | undefined) => (users ?? []).find((u) => u.id === id)?.name ?? id ?? '';
  const explain = async () => {
    if (!query.user || !query.object) return;
    try {
      setExplanation((await api<Explanation>(`/api/access/explain?user=${encodeURIComponent(query.user)}&object=${encodeURIComponent(query.object)}`)).data);
    } catch (error) {
      fail(error);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('users.title')} size="small" extra={<Button type="primary" onClick={() => setCreating(true)}>{t('users.create')}</Button>}>
        <Table<User> size="small" rowKey="id" loading={!users} dataSource={users ?? []} pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { title: t('users.name'), dataIndex: 'name' },
            { title: t('users.email'), dataIndex: 'email' },
            { title: t('users.roles'), dataIndex: 'roles', render: (r: string[] = []) => r.map((x) => <Tag key={x}>{x}</Tag>) },
            { title: t('users.manager'), dataIndex: 'manager', render: (m?: string) => nameOf(m) },
            { title: t('users.teams'), key: 'teams', render: (_, u) => (teams ?? []).filter((tm) => tm.members.includes(u.id)).map((tm) => <Tag key={tm.id}>{tm.name}</Tag>) },
            { title: t('users.active'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">{t('users.active')}</Tag> : <Tag>{t('users.inactive')}</Tag>) },
            {
              key: 'actions',
              render: (_, u) => (
                <Space>
                  <Button size="small" data-testid={`edit-user-${u.email ?? u.id}`} onClick={() => { setEditing(u); editForm.setFieldsValue({ name: u.name, roles: u.roles ?? [], manager: u.manager ?? null }); }}>{t('users.edit')}</Button>
                  {u.active && (
                    <Popconfirm title={`${t('users.deactivate')} ${u.name}?`} onConfirm={() => deactivate(u)}>
                      <Button size="small" danger>{t('users.deactivate')}</Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]} />
      </Card>
      <Card title={t('users.teams')} size="small" extra={<Button onClick={() => { setTeam({}); teamForm.setFieldsValue({ name: '', members: [] }); }}>{t('users.newTeam')}</Button>}>
        <Table<Team> size="small" rowKey="id" loading={!teams} dataSource={teams ?? []} pagination={false} columns={[
          { title: t('users.name'), dataIndex: 'name' },
          { title: t('users.members'), dataIndex: 'members', render: (m: string[]) => m.map((id) => <Tag key={id}>{nameOf(id)}</Tag>) },
          { key: 'edit', render: (_, tm) => <Button size="small" onClick={() => { setTeam(tm); teamForm.setFieldsValue({ name: tm.name, members: tm.members }); }}>{t('users.edit')}</Button> },
        ]} />
      </Card>
      <Card title={t('users.explain')} size="small">
        <Space wrap>
          <Select showSearch optionFilterProp="label" style={{ width: 260 }} placeholder={t('users.user')} value={query.user} onChange={(user) => setQuery({ ...query, user })}
            options={(users ?? []).map((u) => ({ value: u.id, label: `${u.name}${u.email ? ` <${u.email}>` : ''}` }))} data-testid="explain-user" />
          <Select showSearch optionFilterProp="label" style={{ width: 260 }} placeholder={t('users.object')} value={query.object} onChange={(object) => setQuery({ ...query, object })}
            options={(draft?.bundle.objects ?? []).map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} data-testid="explain-object" />
          <Button type="primary" onClick={explain} disabled={!query.user || !query.object}>{t('users.run')}</Button>
        </Space>
        {explanation && (
          <div style={{ marginTop: 16 }} data-testid="explanation">
            <Typography.Paragraph type="secondary">{explanation.rule}</Typography.Paragraph>
            <Typography.Paragraph>{t('users.roles')}: {explanation.user.roles.map((r) => <Tag key={r}>{r}</Tag>)} · {t('users.scope')}: {explanation.scope.scopes.join(', ') || '—'}</Typography.Paragraph>
            <Table size="small" pagination={false} rowKey="name"
              dataSource={Object.entries(explanation.permissions).map(([name, e]) => ({ name, ...e }))}
              columns={[
                { title: t('users.permission'), dataIndex: 'name' },
                { title: t('users.decision'), dataIndex: 'decision', render: (d: Explained['decision']) => <Tag color={DECISION_COLOR[d]}>{t(`users.${d}`)}</Tag> },
                { title: t('users.contributions'), dataIndex: 'contributions', render: (c: Contribution[]) => <Contributions list={c} /> },
              ]} />
            <Table size="small" pagination={false} rowKey="name" style={{ marginTop: 16 }}
              dataSource={Object.entries(explanation.fields).map(([name, e]) => ({ name, ...e }))}
              columns={[
                { title: t('users.field'), dataIndex: 'name', render: (n: string) => <code>{n}</code> },
                { title: t('users.level'), dataIndex: 'value', render: (v: string) => <Tag color={v === 'hidden' ? 'red' : v === 'edit' ? 'green' : 'blue'}>{v}</Tag> },
                { title: t('users.contributions'), dataIndex: 'contributions', render: (c: Contribution[]) => <Contributions list={c} /> },
              ]} />
          </div>
        )}
      </Card>
      <Modal title={editing ? t('users.editTitle', { name: editing.name }) : ''} open={editing !== null} onCancel={() => setEditing(null)} onOk={() => editForm.submit()} okText={t('common.ok')} cancelText={t('common.cancel')}>
        <Form form={editForm} layout="vertical" onFinish={saveUser}>
          <Form.Item name="name" label={t('users.name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true }]}><Select mode="multiple" options={roles.map((r) => ({ value: r, label: r }))} /></Form.Item>
          <Form.Item name="manager" label={t('users.manager')}>
            <Select allowClear showSearch optionFilterProp="label" options={(users ?? []).filter((u) => u.id !== editing?.id).map((u) => ({ value: u.id, label: u.name }))} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal title={team?.id ? team.name : t('users.newTeam')} open={team !== null} onCancel={() => setTeam(null)} onOk={() => teamForm.submit()} okText={t('common.ok')} cancelText={t('common.cancel')}>
        <Form form={teamForm} layout="vertical" onFinish={saveTeam}>
          <Form.Item name="name" label={t('users.name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="members" label={t('users.members')}>
            <Select mode="multiple" showSearch optionFilterProp="label" options={(users ?? []).map((u) => ({ value: u.id, label: u.name }))} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal title={t('users.create')} open={creating} onCancel={() => setCreating(false)} onOk={() => form.submit()} okText={t('common.ok')} cancelText={t('common.cancel')}>
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item name="email" label={t('users.email')} rules={[{ required: true, type: 'email' }]}><Input /></Form.Item>
          <Form.Item name="name" label={t('users.name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true }]}><Select mode="multiple" options={roles.map((r) => ({ value: r, label: r }))} /></Form.Item>
          <Form.Item name="manager" label={t('users.manager')}>
            <Select allowClear showSearch optionFilterProp="label" options={(users ?? []).map((u) => ({ value: u.id, label: u.name }))} />
          </Form.Item>
          <Form.Item name="password" label={t('users.password')} rules={[{ min: 10 }]}><Input.Password autoComplete="new-password" /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
