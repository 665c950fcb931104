/**
 * The staff app's frame (`/app/…`, loaded on first visit): navigation built from the objects
 * the user may read, in the user's language, search, the language switch; a drawer on phones.
 */
import { useMemo, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { AutoComplete, Button, Drawer, Grid, Layout, Menu, Result, Segmented, Space, Spin, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, session } from '../api';
import { consoleLanguage } from '../labels';
import { useLanguage } from '../useLanguage';
import './staffI18n';
import { StaffProvider, useStaff } from './StaffContext';
import { search } from './staffApi';
import { recordName } from './format';

export default function StaffShell() {
  const { t } = useTranslation('staff');
  if (!session.token()) return <Navigate to="/login" replace state={{ from: '/app' }} />;
  return (
    <StaffProvider
      fallback={<Spin style={{ display: 'block', margin: '30vh auto' }} />}
      failed={(e) => <Result status="error" title={t('common.loadFailed')} subTitle={e instanceof ApiError ? e.message : String(e)} extra={<Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>} />}
    >
      <Frame />
    </StaffProvider>
  );
}

function Frame() {
  const { t, i18n } = useTranslation('staff');
  const { label } = useLanguage();
  const { objects, me } = useStaff();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const wide = screens.md !== false;
  const [drawer, setDrawer] = useState(false);

  const selected = location.pathname.startsWith('/app/o/') ? `o/${location.pathname.split('/')[3]}` : location.pathname.startsWith('/app/reports') ? 'reports' : 'home';
  const items: MenuProps['items'] = useMemo(
    () => [
      { key: 'home', label: t('nav.home') },
      { key: 'reports', label: t('nav.reports') },
      { type: 'divider' },
      {
        type: 'group',
        label: t('nav.objects'),
        children: objects.map((o) => ({ key: `o/${o.name}`, label: <span data-testid={`nav-${o.name}`}>{label(o.pluralLabel ?? o.label, o.name)}</span> })),
      },
    ],
    [objects, t, label],
  );
  const go: MenuProps['onClick'] = ({ key }) => {
    setDrawer(false);
    navigate(key === 'home' ? '/app' : `/app/${key}`);
  };
  const menu = <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={go} style={{ borderInlineEnd: 'none' }} data-testid="staff-nav" />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 12, background: '#fff', borderBottom: '1px solid #f0f0f0', padding: wide ? '0 24px' : '0 12px', position: 'sticky', top: 0, zIndex: 10 }}>
        {!wide && (
          <Button aria-label={t('nav.menu')} data-testid="nav-toggle" onClick={() => setDrawer(true)}>
            ☰
          </Button>
        )}
        <Typography.Text strong ellipsis style={{ maxWidth: wide ? 260 : 120 }} data-testid="staff-tenant">
          {me.tenantName}
        </Typography.Text>
        <GlobalSearch style={{ flex: 1, maxWidth: 420, minWidth: 0 }} />
        <Space size={wide ? 'middle' : 4} style={{ marginLeft: 'auto' }}>
          <Segmented
            size={wide ? 'middle' : 'small'}
            data-testid="staff-language"
            value={consoleLanguage(i18n.language)}
            onChange={(lng) => void i18n.changeLanguage(String(lng))}
            options={[{ value: 'en', label: wide ? 'English' : 'EN' }, { value: 'zh-CN', label: wide ? '简体中文' : '中' }]}
          />
          {wide && <Typography.Text type="secondary">{me.name}</Typography.Text>}
          {wide && (
            <Button type="link" onClick={() => { session.signOut(); navigate('/login'); }}>
              {t('nav.signOut')}
            </Button>
          )}
        </Space>
      </Layout.Header>
      <Layout>
        {wide && (
          <Layout.Sider width={220} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0', overflow: 'auto', height: 'calc(100vh - 64px)', position: 'sticky', top: 64 }}>
            {menu}
          </Layout.Sider>
        )}
        <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={280} title={me.name ?? me.tenantName} styles={{ body: { padding: 0 } }}
          footer={<Button block onClick={() => { session.signOut(); navigate('/login'); }}>{t('nav.signOut')}</Button>}>
          {menu}
        </Drawer>
        <Layout.Content style={{ padding: wide ? 24 : 12, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** Name-prefix search across the objects the user may read (`GET /api/search`). */
function GlobalSearch({ style }: { style?: React.CSSProperties }) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { object, rememberNames } = useStaff();
  const navigate = useNavigate();
  const [options, setOptions] = useState<Array<{ label: React.ReactNode; options: Array<{ value: string; label: string }> }>>([]);
  const [value, setValue] = useState('');
  const run = async (q: string) => {
    setValue(q);
    if (q.trim().length < 1) return setOptions([]);
    try {
      const answer = await search(q.trim(), undefined, 5);
      setOptions(
        answer.results
          .filter((r) => r.items.length)
          .map((r) => {
            const def = object(r.object);
            rememberNames(r.object, r.items);
            return { label: def ? label(def.label, r.object) : r.object, options: r.items.map((item) => ({ value: `${r.object}/${item.id}`, label: def ? recordName(def, item, language) : item.id })) };
          }),
      );
    } catch {
      setOptions([]);
    }
  };
  return (
    <AutoComplete
      style={style}
      value={value}
      options={options}
      onSearch={(q) => void run(q)}
      onSelect={(v: string) => {
        setValue('');
        setOptions([]);
        navigate(`/app/o/${v}`);
      }}
      placeholder={t('nav.search')}
      data-testid="global-search"
      allowClear
    />
  );
}
