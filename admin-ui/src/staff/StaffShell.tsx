/**
 * The staff app's frame (`/app/…`, loaded on first visit): navigation built from the objects
 * the user may read, in the user's language, search, the language switch; a drawer on phones.
 */
import { Suspense, lazy, use, useEffect, useMemo, useRef, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Grid, Input, Layout, Menu, Popover, Segmented, Space, Spin, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, session } from '../api';
import { consoleLanguage } from '../labels';
import { useLanguage } from '../useLanguage';
import { staffLabelsReady } from './staffI18n';
import { StaffProvider, useStaff } from './StaffContext';
import { search } from './staffApi';
import { recordName } from './format';

// Neither is drawn on a wide screen that loaded: the navigation drawer is for phones (fetched as
// soon as the screen is narrow, so the first tap opens it at once) and the alert for a failed
// load. ≈7 KB gzipped less in every first load of /app.
const loadDrawer = () => import('antd/es/drawer');
const Drawer = lazy(loadDrawer);
const Alert = lazy(() => import('antd/es/alert'));
// Fetched and drawn once the page is idle: after the first screen and its requests, never before.
const StylePrimer = lazy(() => import('./components/StylePrimer'));

export default function StaffShell() {
  use(staffLabelsReady);
  const { t } = useTranslation('staff');
  if (!session.token()) return <Navigate to="/login" replace state={{ from: '/app' }} />;
  return (
    <StaffProvider
      fallback={<Spin style={{ display: 'block', margin: '30vh auto' }} />}
      failed={(e) => <Suspense fallback={null}><Alert type="error" showIcon style={{ margin: 48 }} title={t('common.loadFailed')} description={e instanceof ApiError ? e.message : String(e)} action={<Button onClick={() => window.location.reload()}>{t('common.retry')}</Button>} /></Suspense>}
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
  useEffect(() => void (wide || loadDrawer()), [wide]);
  const idle = useIdle();

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
        {!wide && (
          <Suspense fallback={null}>
            <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={280} title={me.name ?? me.tenantName} styles={{ body: { padding: 0 } }}
              footer={<Button block onClick={() => { session.signOut(); navigate('/login'); }}>{t('nav.signOut')}</Button>}>
              {menu}
            </Drawer>
          </Suspense>
        )}
        <Layout.Content style={{ padding: wide ? 24 : 12, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
      {idle && (
        <Suspense fallback={null}>
          <StylePrimer />
        </Suspense>
      )}
    </Layout>
  );
}

/** True once the browser has had nothing to do (Safari has no requestIdleCallback: a short timeout there). */
function useIdle(): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback(() => setIdle(true));
      return () => window.cancelIdleCallback(id);
    }
    const id = window.setTimeout(() => setIdle(true), 200);
    return () => window.clearTimeout(id);
  }, []);
  return idle;
}

/**
 * Name-prefix search across the objects the user may read (`GET /api/search`), results in a
 * popover (an Input and a Popover are already loaded; a Select would add ~25 KB to the first load).
 */
function GlobalSearch({ style }: { style?: React.CSSProperties }) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { object, rememberNames } = useStaff();
  const navigate = useNavigate();
  const [groups, setGroups] = useState<Array<{ object: string; title: string; items: Array<{ id: string; name: string }> }>>([]);
  const [value, setValue] = useState('');
  const [open, setOpen] = useState(false);
  const seq = useRef(0);
  const run = async (q: string) => {
    setValue(q);
    const mine = ++seq.current;
    if (q.trim().length < 1) return setGroups([]);
    try {
      const answer = await search(q.trim(), undefined, 5);
      if (mine !== seq.current) return;
      setGroups(
        answer.results
          .filter((r) => r.items.length)
          .map((r) => {
            const def = object(r.object);
            rememberNames(r.object, r.items);
            return { object: r.object, title: def ? label(def.label, r.object) : r.object, items: r.items.map((item) => ({ id: item.id, name: def ? recordName(def, item, language) : item.id })) };
          }),
      );
      setOpen(true);
    } catch {
      setGroups([]);
    }
  };
  const go = (path: string) => {
    setOpen(false);
    setValue('');
    setGroups([]);
    navigate(path);
  };
  const results = (
    <div style={{ maxHeight: 360, overflow: 'auto', minWidth: 240 }} data-testid="search-results">
      {groups.length === 0 ? (
        <Typography.Text type="secondary">{t('nav.searchNone')}</Typography.Text>
      ) : (
        groups.map((g) => (
          <div key={g.object} style={{ marginBottom: 8 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{g.title}</Typography.Text>
            {g.items.map((item) => (
              <div key={item.id}>
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => go(`/app/o/${g.object}/${item.id}`)}>{item.name}</Button>
              </div>
            ))}
          </div>
        ))
      )}
    </div>
  );
  return (
    <Popover open={open && value.trim().length > 0} onOpenChange={setOpen} content={results} trigger="click" placement="bottomLeft">
      <Input.Search
        style={style}
        value={value}
        onChange={(e) => void run(e.target.value)}
        onSearch={(q) => void run(q)}
        onPressEnter={() => groups[0]?.items[0] && go(`/app/o/${groups[0].object}/${groups[0].items[0].id}`)}
        placeholder={t('nav.search')}
        data-testid="global-search"
        allowClear
      />
    </Popover>
  );
}
