import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Navigate, RouterProvider, useRouteError } from 'react-router';
import { App as AntApp, Button, ConfigProvider, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useTranslation } from 'react-i18next';
import './i18n';
import { setApiLanguage } from './api';
import { consoleLanguage } from './labels';
import { Shell } from './Shell';

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
    path: '/',
    element: <Shell />,
    errorElement: <ScreenError />,
    children: [
      { index: true, element: <Navigate to="/objects" replace /> },
      { path: 'objects', element: page(<ObjectList />) },
      { path: 'objects/new', element: page(<ObjectEditor />) },
      { path: 'objects/:name', element: page(<ObjectEditor />) },
      { path: 'versions', element: page(<Versions />) },
      { path: 'templates', element: page(<Templates />) },
      { path: 'users', element: page(<Users />) },
      // Not `/api`: the API owns that prefix on the console's origin.
      { path: 'integrations', element: page(<Api />) },
      { path: 'rules', element: page(<Rules />) },
      { path: 'rules/validation/:name', element: page(<ValidationRuleEditor />) },
      { path: 'rules/assignment/:object', element: page(<AssignmentRulesEditor />) },
      { path: 'rules/automation/:name', element: page(<AutomationRuleEditor />) },
      { path: '*', element: <Navigate to="/objects" replace /> },
    ],
  },
]);

function Root() {
  const { i18n } = useTranslation();
  const language = consoleLanguage(i18n.language);
  setApiLanguage(language);
  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#2f54eb' } }}>
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
