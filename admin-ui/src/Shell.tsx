/** The frame around every screen: tenant, navigation, language, and the draft's state and actions. */
import { useEffect, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { App, Button, Layout, Menu, Popconfirm, Segmented, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import './consoleI18n';
import { api, ApiError, session } from './api';
import { DraftProvider, useDraft } from './draft';
import { consoleLanguage } from './labels';

export function Shell() {
  if (!session.token()) return <Navigate to="/login" replace />;
  return (
    <DraftProvider>
      <Frame />
    </DraftProvider>
  );
}

function Frame() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [tenantName, setTenantName] = useState('');
  useEffect(() => {
    api<{ tenantName: string }>('/api/me').then(({ data }) => setTenantName(data.tenantName), () => undefined);
  }, []);
  const section = location.pathname.split('/')[1] || 'objects';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, background: '#fff', borderBottom: '1px solid #f0f0f0' }}>
        <Typography.Text strong data-testid="tenant-name">{tenantName || '…'}</Typography.Text>
        <Menu
          mode="horizontal"
          selectedKeys={[section]}
          style={{ flex: 1, minWidth: 0, borderBottom: 'none' }}
          onClick={({ key }) => navigate(`/${key}`)}
          items={(['objects', 'rules', 'workflows', 'reports', 'roles', 'users', 'settings', 'versions', 'templates', 'integrations'] as const).map((key) => ({ key, label: t(key === 'rules' || key === 'roles' || key === 'settings' || key === 'workflows' ? `nav2.${key}` : `nav.${key}`) }))}
        />
        <Segmented
          data-testid="language"
          value={consoleLanguage(i18n.language)}
          onChange={(lng) => void i18n.changeLanguage(String(lng))}
          options={[{ value: 'en', label: 'English' }, { value: 'zh-CN', label: '简体中文' }]}
        />
        <Button type="link" onClick={() => { session.signOut(); navigate('/login'); }}>{t('app.signOut')}</Button>
      </Layout.Header>
      <DraftBar />
      <Layout.Content style={{ padding: 24 }}>
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}

function DraftBar() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { draft, problems, validate, publish, discard } = useDraft();
  const [busy, setBusy] = useState<string | null>(null);
  if (!draft) return null;
  const run = (name: string, action: () => Promise<void>) => async () => {
    setBusy(name);
    try {
      await action();
    } catch (error) {
      message.error(t('common.error', { message: error instanceof ApiError ? error.message : String(error) }));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div data-testid="draft-bar" style={{ display: 'flex', alignItems: 'center', gap: 12, padding: '8px 24px', background: draft.exists ? '#fffbe6' : '#f6ffed' }}>
      <Tag color={draft.exists ? 'gold' : 'green'} data-testid="draft-state">
        {draft.exists ? t('draft.draft', { revision: draft.revision, version: draft.baseVersion }) : t('draft.published', { version: draft.baseVersion })}
      </Tag>
      {problems !== null && (
        <Tag color={problems.length ? 'red' : 'green'} data-testid="validation-state">
          {problems.length ? t('draft.problems', { count: problems.length }) : t('draft.valid')}
        </Tag>
      )}
      <Space style={{ marginLeft: 'auto' }}>
        <Button loading={busy === 'validate'} onClick={run('validate', async () => {
          const found = await validate();
          if (found.length) message.warning(t('draft.problems', { count: found.length }));
          else message.success(t('draft.valid'));
        })}>{t('draft.validate')}</Button>
        <Button type="primary" disabled={!draft.exists} loading={busy === 'publish'} onClick={run('publish', async () => {
          const version = await publish();
          message.success(t('draft.publishedNow', { version }));
        })}>{t('draft.publish')}</Button>
        <Popconfirm title={t('draft.discardConfirm', { version: draft.baseVersion })} onConfirm={run('discard', async () => {
          await discard();
          message.info(t('draft.discarded'));
        })}>
          <Button danger disabled={!draft.exists} loading={busy === 'discard'}>{t('draft.discard')}</Button>
        </Popconfirm>
      </Space>
    </div>
  );
}
