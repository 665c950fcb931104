/** Reports and dashboards of the draft: a list of each (with problem counts after Validate), and their editors. One lazy chunk for all three. */
import { Link, Route, Routes, useNavigate, useSearchParams } from 'react-router';
import { Badge, Button, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../../draft';
import { problemsUnder } from '../../editing';
import type { DashboardDef, ReportDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import DashboardEditor from './DashboardEditor';
import ReportEditor from './ReportEditor';

export default function ReportsConsole() {
  return (
    <Routes>
      <Route index element={<ReportsList />} />
      <Route path="report/:name" element={<ReportEditor />} />
      <Route path="dashboard/:name" element={<DashboardEditor />} />
    </Routes>
  );
}

type Kind = 'reports' | 'dashboards';

function ReportsList() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') as Kind | null) ?? 'reports';
  const { draft, problems } = useDraft();
  const bundle = draft?.bundle;
  const objects = bundle?.objects ?? [];
  const count = (pointer: string) => problemsUnder(problems, pointer).length;
  const reports = (bundle?.reports ?? []).map((r, index) => ({ ...r, index }));
  const dashboards = (bundle?.dashboards ?? []).map((d, index) => ({ ...d, index }));
  const reportLabel = (name: string) => label(bundle?.reports?.find((r) => r.name === name)?.label, name);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('reports.title')}</Typography.Title>
      <Tabs activeKey={kind} onChange={(k) => setParams({ kind: k })} items={[
        {
          key: 'reports', label: t('reports.kinds.reports'),
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Button type="primary" data-testid="new-report" onClick={() => navigate('/reports/report/new')}>{t('reports.newReport')}</Button>
              <Table<ReportDef & { index: number }> rowKey="name" size="small" loading={!draft} dataSource={reports} pagination={{ pageSize: 50, hideOnSinglePage: true }}
                columns={[
                  { title: t('reports.name'), dataIndex: 'name', render: (n: string) => <Link to={`/reports/report/${n}`}><code>{n}</code></Link> },
                  { title: t('reports.label'), key: 'label', render: (_, r) => label(r.label, r.name) },
                  { title: t('reports.object'), dataIndex: 'object', render: (o: string) => label(objects.find((x) => x.name === o)?.label, o) },
                  { title: t('reports.chart'), key: 'chart', render: (_, r) => <Tag>{t(`reports.charts.${r.chart}`)}</Tag> },
                  { title: t('objects.problems'), key: 'problems', render: (_, r) => <Badge count={count(`/reports/${r.index}`)} data-testid={`report-problems-${r.name}`} /> },
                ]} />
            </Space>
          ),
        },
        {
          key: 'dashboards', label: t('reports.kinds.dashboards'),
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Button type="primary" data-testid="new-dashboard" onClick={() => navigate('/reports/dashboard/new')}>{t('reports.newDashboard')}</Button>
              <Table<DashboardDef & { index: number }> rowKey="name" size="small" loading={!draft} dataSource={dashboards} pagination={false}
                columns={[
                  { title: t('reports.name'), dataIndex: 'name', render: (n: string) => <Link to={`/reports/dashboard/${n}`}><code>{n}</code></Link> },
                  { title: t('reports.label'), key: 'label', render: (_, d) => label(d.label, d.name) },
                  { title: t('reports.roles'), key: 'roles', render: (_, d) => (d.roles?.length ? d.roles.map((r) => <Tag key={r}>{r}</Tag>) : <Tag color="blue">{t('reports.everyone')}</Tag>) },
                  { title: t('reports.tiles'), key: 'tiles', render: (_, d) => d.tiles.map((tile, i) => <Tag key={i}>{label(tile.title, reportLabel(tile.report))}</Tag>) },
                  { title: t('objects.problems'), key: 'problems', render: (_, d) => <Badge count={count(`/dashboards/${d.index}`)} /> },
                ]} />
            </Space>
          ),
        },
      ]} />
    </Space>
  );
}
