import { StrictMode, Suspense, lazy, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Navigate, RouterProvider, useRouteError } from 'react-router';
import { App as AntApp, Button, ConfigProvider, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import type { Locale } from 'antd/es/locale';
import { useTranslation } from 'react-i18next';
import i18next from './i18n';
import { setApiLanguage } from './api';
import { consoleLanguage } from './labels';

// The console's shell is not the staff app's: each area loads its own on first visit.
const Shell = lazy(() => import('./Shell').then((m) => ({ default: m.Shell })));
// The heavy screens load on first visit, so the console route stays small (see bundleSize.ts).
const Login = lazy(() => import('./pages/Login'));
const ObjectList = lazy(() => import('./pages/ObjectList'));
const ObjectEditor = lazy(() => import('./pages/ObjectEditor'));
const Versions = lazy(() => import('./pages/Versions'));
const Templates = lazy(() => import('./pages/Templates'));
const Users = lazy(() => import('./pages/Users'));
const Api = lazy(() => import('./pages/Api'));
// Metadata editors (issue 8): each loads on first visit, with what it alone needs (condition builder, formula checker, drag and drop).
const Rules = lazy(() => import('./pages/rules/Rules'));
const ValidationRuleEditor = lazy(() => import('./pages/rules/ValidationRuleEditor'));
const AssignmentRulesEditor = lazy(() => import('./pages/rules/AssignmentRulesEditor'));
const AutomationRuleEditor = lazy(() => import('./pages/rules/AutomationRuleEditor'));
const Roles = lazy(() => import('./pages/roles/Roles'));
const LayoutEditor = lazy(() => import('./pages/LayoutEditor'));
const Settings = lazy(() => import('./pages/Settings'));
const WorkflowDesigner = lazy(() => import('./pages/WorkflowDesigner'));
const ReportsConsole = lazy(() => import('./pages/reports/ReportsConsole'));
// The staff app: its own area under /app, loaded on first visit (nothing of it is in the console's first load).
const StaffShell = lazy(() => import('./staff/StaffShell'));
const StaffHome = lazy(() => import('./staff/pages/StaffHome'));
const RecordList = lazy(() => import('./staff/pages/RecordList'));
const RecordCreate = lazy(() => import('./staff/pages/RecordCreate'));
const RecordPage = lazy(() => import('./staff/pages/RecordPage'));
const Board = lazy(() => import('./staff/pages/Board'));
const Reports = lazy(() => import('./staff/pages/Reports'));
const ImportWizard = lazy(() => import('./staff/pages/ImportWizard'));
const Duplicates = lazy(() => import('./staff/pages/Duplicates'));
const Merge = lazy(() => import('./staff/pages/Merge'));

const page = (node: React.ReactNode) => <Suspense fallback={<Spin style={{ margin: 48 }} />}>{node}</Suspense>;

/** A screen that threw: say so, keep the console usable, never a blank page. */
function ScreenError() {
  const error = useRouteError();
  return (
    <div style={{ padding: 48 }}>
      <Typography.Title level={4} type="danger">{error instanceof Error ? error.message : String(error)}</Typography.Title>
      <Button onClick={() => window.location.assign('/objects')}>OK</Button>
    </div>
  );
}

const router = createBrowserRouter([
  { path: '/login', element: page(<Login />) },
  {
    path: '/app',
    element: page(<StaffShell />),
    errorElement: <ScreenError />,
    children: [
      { index: true, element: page(<StaffHome />) },
      { path: 'reports', element: page(<Reports />) },
      { path: 'o/:object', element: page(<RecordList />) },
      { path: 'o/:object/new', element: page(<RecordCreate />) },
      { path: 'o/:object/board', element: page(<Board />) },
      { path: 'o/:object/import', element: page(<ImportWizard />) },
      { path: 'o/:object/duplicates', element: page(<Duplicates />) },
      { path: 'o/:object/merge', element: page(<Merge />) },
      { path: 'o/:object/:id', element: page(<RecordPage />) },
      { path: '*', element: <Navigate to="/app" replace /> },
    ],
  },
  {
    path: '/',
    element: page(<Shell />),
    errorElement: <ScreenError />,
    children: [
      { index: true, element: <Navigate to="/objects" replace /> },
      { path: 'objects', element: page(<ObjectList />) },
      { path: 'objects/new', element: page(<ObjectEditor />) },
      { path: 'objects/:name', element: page(<ObjectEditor />) },
      { path: 'objects/:name/layouts', element: page(<LayoutEditor />) },
      { path: 'versions', element: page(<Versions />) },
      { path: 'templates', element: page(<Templates />) },
      { path: 'users', element: page(<Users />) },
      // Not `/api`: the API owns that prefix on the console's origin.
      { path: 'integrations', element: page(<Api />) },
      { path: 'rules', element: page(<Rules />) },
      { path: 'rules/validation/:name', element: page(<ValidationRuleEditor />) },
      { path: 'rules/assignment/:object', element: page(<AssignmentRulesEditor />) },
      { path: 'rules/automation/:name', element: page(<AutomationRuleEditor />) },
      { path: 'roles', element: page(<Roles />) },
      { path: 'settings', element: page(<Settings />) },
      { path: 'workflows', element: page(<WorkflowDesigner />) },
      { path: 'reports/*', element: page(<ReportsConsole />) },
      { path: '*', element: <Navigate to="/objects" replace /> },
    ],
  },
]);

// antd's own texts in 简体中文 (date pickers, pagination, empty states) are a chunk of their own,
// fetched for those who read Chinese: ≈2 KB gzipped less in everyone's first load.
let zhCN: Locale | null = null;
let zhLoading: Promise<void> | null = null;
const loadZhCN = () => (zhLoading ??= import('antd/locale/zh_CN').then((m) => void (zhCN = m.default)));

const THEME = { token: { colorPrimary: '#2f54eb' } };

function Root() {
  const { i18n } = useTranslation();
  const language = consoleLanguage(i18n.language);
  setApiLanguage(language);
  const [, setZhLoaded] = useState(zhCN !== null);
  useEffect(() => {
    // A switch to Chinese: antd's texts follow once their chunk is here (the app's own labels at once).
    if (language === 'zh-CN' && !zhCN) void loadZhCN().then(() => setZhLoaded(true));
  }, [language]);
  return (
    <ConfigProvider locale={language === 'zh-CN' && zhCN ? zhCN : enUS} theme={THEME}>
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
// Starting in Chinese, the first render waits for antd's Chinese texts rather than showing English ones first.
if (consoleLanguage(i18next.language) === 'zh-CN') void loadZhCN().finally(render);
else render();
