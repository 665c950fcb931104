/** Reports, dashboards and lead conversions of the draft: a list of each (with problem counts after Validate), and their editors. One lazy chunk for all. */
import { Link, Route, Routes, useNavigate, useSearchParams } from 'react-router';
import { Badge, Button, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../../draft';
import { problemsUnder } from '../../editing';
import type { ConversionDef, DashboardDef, ReportDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import ConversionEditor from './ConversionEditor';
import DashboardEditor from './DashboardEditor';
import ReportEditor from './ReportEditor';

export default function ReportsConsole() {
  return (
    <Routes>
      <Route index element={<ReportsList />} />
      <Route path="report/:name" element={<ReportEditor />} />
      <Route path="dashboard/:name" element={<DashboardEditor />} />
      <Route path="conversion/:name" element={<ConversionEditor />} />
    </Routes>
  );
}

type Kind = 'reports' | 'dashboards' | 'conversions';

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
  const conversions = (bundle?.conversions ?? []).map((c, index) => ({ ...c, index }));
  const objectLabel = (o: string) => label(objects.find((x) => x.name === o)?.label, o);
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
                  { title: t('reports.object'), dataIndex: 'object', render: objectLabel },
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
        {
          key: 'conversions', label: t('conversions.title'),
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Typography.Text type="secondary">{t('conversions.help')}</Typography.Text>
              <Button type="primary" data-testid="new-conversion" onClick={() => navigate('/reports/conversion/new')}>{t('conversions.new')}</Button>
              <Table<ConversionDef & { index: number }> rowKey="name" size="small" loading={!draft} dataSource={conversions} pagination={false}
                columns={[
                  { title: t('reports.name'), dataIndex: 'name', render: (n: string) => <Link to={`/reports/conversion/${n}`}><code>{n}</code></Link> },
                  { title: t('conversions.source'), dataIndex: 'object', render: objectLabel },
                  { title: t('conversions.into'), key: 'into', render: (_, c) => [c.account, c.contact, c.opportunity].flatMap((x) => (x ? [<Tag key={x.object}>{objectLabel(x.object)}</Tag>] : [])) },
                  { title: t('objects.problems'), key: 'problems', render: (_, c) => <Badge count={count(`/conversions/${c.index}`)} /> },
                ]} />
            </Space>
          ),
        },
      ]} />
    </Space>
  );
}
