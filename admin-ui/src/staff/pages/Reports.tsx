/**
 * Reports and dashboards. Dashboards come from metadata (`GET /api/dashboards`): a tab per
 * dashboard the user may see, each tile a report run with the user's permissions and drawn by
 * its chart type. Without any, the dashboard the object metadata suggests (funnel by stage, open
 * pipeline by owner, records by status). Below them, a report of the user's own choosing —
 * grouped by a field or a date per month, quarter…, split by a second field — and the workflow
 * funnels. Every bar, slice, point and table row drills down to the list of the records behind it.
 */
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { Card, Col, Empty, Row, Select, Space, Spin, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import { fieldLabel, formatValue, optionColor, optionLabel } from '../format';
import { groupOptions, numericFields, sumFields } from '../listQuery';
import { dashboardCharts } from '../reports';
import type { ChartType, DashboardView, Measure, ReportView, TimeUnit } from '../reportData';
import { adHocQuery, listDashboards, runAdHoc, runReport } from '../reportData';
import { api } from '../../api';
import { boardField } from '../board';
import { searchFromState } from '../listQuery';
import { ReportTile } from '../components/ReportTile';

export default function Reports() {
  const { t } = useTranslation('staff');
  const { label } = useLanguage();
  const { hasRoute, capabilitiesLoaded } = useStaff();
  const [dashboards, setDashboards] = useState<DashboardView[] | null>(null);
  const served = hasRoute('GET /api/dashboards');
  useEffect(() => {
    if (!capabilitiesLoaded) return;
    if (!served) return setDashboards([]);
    listDashboards().then(setDashboards, () => setDashboards([]));
  }, [served, capabilitiesLoaded]);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="reports-title">{t('reports.title')}</Typography.Title>
      {dashboards === null ? (
        <div style={{ textAlign: 'center', padding: 24 }}><Spin /><div><Typography.Text type="secondary">{t('reports.loading')}</Typography.Text></div></div>
      ) : dashboards.length ? (
        <Tabs data-testid="dashboards" items={dashboards.map((d) => ({ key: d.name, label: <span data-testid={`dashboard-tab-${d.name}`}>{label(d.label, d.name)}</span>, children: <Dashboard dashboard={d} /> }))} />
      ) : (
        <SuggestedDashboard />
      )}
      <CustomReport />
      <WorkflowFunnels />
    </Space>
  );
}

function Dashboard({ dashboard }: { dashboard: DashboardView }) {
  const { t } = useTranslation('staff');
  const { label } = useLanguage();
  if (!dashboard.tiles.length) return <Empty description={t('reports.noTiles')} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {dashboard.description && <Typography.Text type="secondary">{label(dashboard.description, '')}</Typography.Text>}
      <Row gutter={[16, 16]} data-testid={`dashboard-${dashboard.name}`}>
        {dashboard.tiles.map((tile) => (
          <Col key={tile.report.name} xs={24} xl={tile.width === 'full' ? 24 : 12}>
            {tile.report.runnable ? (
              <ReportTile report={tile.report} title={label(tile.title, tile.report.name)} run={async () => (await runReport(tile.report.name)).result} runKey={tile.report.name} testId={`tile-${tile.report.name}`} />
            ) : (
              <Card size="small" title={label(tile.title, tile.report.name)} data-testid={`tile-${tile.report.name}`}><Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.forbidden')} /></Card>
            )}
          </Col>
        ))}
      </Row>
    </Space>
  );
}

/** Reports the metadata suggests when no dashboard is published: funnel by stage, open pipeline by owner, records by status. */
function SuggestedDashboard() {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { objects, object } = useStaff();
  const charts = useMemo(() => dashboardCharts(objects), [objects]);
  if (!charts.length) return <Empty description={t('reports.noCharts')} />;
  return (
    <>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('reports.dashboard')}</Typography.Title>
      <Row gutter={[16, 16]}>
        {charts.map((c) => {
          const def = object(c.object) as ObjectDef;
          const report: Pick<ReportView, 'name' | 'object' | 'filters' | 'groupings' | 'measures' | 'chart'> = {
            name: c.id, object: c.object, filters: c.filters, groupings: [{ field: c.groupBy }], measures: c.sum ? [{ fn: 'sum', field: c.sum }, { fn: 'count' }] : [{ fn: 'count' }], chart: c.kind === 'funnel' ? 'funnel' : 'bar',
          };
          const title = c.kind === 'funnel' ? t('reports.funnel', { object: label(def.pluralLabel ?? def.label, def.name), field: fieldLabel(def, c.groupBy, language) }) : t('reports.byField', { object: label(def.pluralLabel ?? def.label, def.name), field: fieldLabel(def, c.groupBy, language) });
          return (
            <Col key={c.id} xs={24} xl={12}>
              <ReportTile report={report} title={title} run={() => runAdHoc(c.object, c.filters, adHocQuery(report))} runKey={c.id} testId={`card-${c.id}`} />
            </Col>
          );
        })}
      </Row>
    </>
  );
}

const UNITS: readonly TimeUnit[] = ['day', 'week', 'month', 'quarter', 'year'];
const CHARTS: readonly ChartType[] = ['column', 'bar', 'line', 'pie', 'funnel', 'table'];

/** The user's own report: an object, one or two groupings (dates per unit), a measure and a chart type. */
function CustomReport() {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { objects } = useStaff();
  const [object, setObject] = useState<string>(objects.find((o) => o.name === 'opportunity')?.name ?? objects[0]?.name ?? '');
  const def = objects.find((o) => o.name === object);
  const [groupBy, setGroupBy] = useState<string>('owner');
  const [unit, setUnit] = useState<TimeUnit>('month');
  const [splitBy, setSplitBy] = useState<string>('');
  const [measure, setMeasure] = useState<string>('count');
  const [chart, setChart] = useState<ChartType>('column');
  useEffect(() => {
    if (!def) return;
    setGroupBy(groupOptions(def)[0] ?? 'owner');
    setSplitBy('');
    const sum = sumFields(def)[0];
    setMeasure(sum ? `sum:${sum}` : 'count');
  }, [def]);
  if (!def) return null;
  const timeFields = def.fields.filter((f) => (f.type === 'date' || f.type === 'datetime') && !f.sensitive).map((f) => f.name);
  const isTime = timeFields.includes(groupBy);
  const [fn, field] = measure.split(':') as ['count' | 'sum' | 'avg' | 'min' | 'max', string | undefined];
  const measures: Measure[] = fn === 'count' || !field ? [{ fn: 'count' }] : [{ fn, field }, { fn: 'count' }];
  const oneGrouping = chart === 'pie' || chart === 'funnel';
  const groupings = [{ field: groupBy, ...(isTime ? { unit } : {}) }, ...(splitBy && !oneGrouping && splitBy !== groupBy ? [{ field: splitBy }] : [])];
  const report = { name: 'custom', object, filters: [], groupings, measures, chart };
  const query = adHocQuery(report);
  const byLabel = (g: string) => `${t('reports.by')} ${fieldLabel(def, g, language)}`;
  return (
    <Card size="small" title={t('reports.custom')} data-testid="custom-report">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select style={{ minWidth: 180 }} value={object} onChange={setObject} showSearch={{ optionFilterProp: 'label' }} options={objects.map((o) => ({ value: o.name, label: label(o.pluralLabel ?? o.label, o.name) }))} data-testid="report-object" />
        <Select style={{ minWidth: 160 }} value={groupBy} onChange={setGroupBy} options={[...groupOptions(def), ...timeFields].map((g) => ({ value: g, label: byLabel(g) }))} data-testid="report-group" />
        {isTime && <Select style={{ minWidth: 110 }} value={unit} onChange={setUnit} options={UNITS.map((u) => ({ value: u, label: t(`reports.unit.${u}`) }))} data-testid="report-unit" />}
        {!oneGrouping && <Select style={{ minWidth: 160 }} value={splitBy} onChange={setSplitBy} options={[{ value: '', label: t('reports.noSplit') }, ...groupOptions(def).filter((g) => g !== groupBy).map((g) => ({ value: g, label: `${t('reports.splitBy')} ${fieldLabel(def, g, language)}` }))]} data-testid="report-split" />}
        <Select style={{ minWidth: 160 }} value={measure} onChange={setMeasure} options={[{ value: 'count', label: t('reports.countOnly') }, ...numericFields(def).flatMap((f) => (['sum', 'avg', 'max'] as const).map((m) => ({ value: `${m}:${f}`, label: t(`reports.fn.${m}`, { field: fieldLabel(def, f, language) }) })))]} data-testid="report-sum" />
        <Select style={{ minWidth: 120 }} value={chart} onChange={setChart} options={CHARTS.map((c) => ({ value: c, label: t(`reports.chart.${c}`) }))} data-testid="report-chart" />
      </Space>
      <ReportTile bare report={report} title={t('reports.custom')} run={() => runAdHoc(object, [], query)} runKey={JSON.stringify(query) + object} testId="tile-custom" />
    </Card>
  );
}

interface FunnelState {
  readonly state: string;
  readonly category: string;
  readonly count: number;
  readonly amount: number | null;
  readonly entered: number;
  readonly conversion: number | null;
  readonly averageHoursInState: number | null;
}
interface FunnelAnswer {
  readonly field: string;
  readonly amountField: string | null;
  readonly states: readonly FunnelState[];
  readonly records: number;
  readonly complete: boolean;
}

/**
 * Workflow funnels (`GET /api/objects/{object}/funnel`, once the workflow API serves it): per
 * state, the records that entered it over the last year, how many went on, the average time spent
 * in it, and what is there now — each state drills down to its records.
 */
function WorkflowFunnels() {
  const { objects, hasRoute } = useStaff();
  const withFunnel = objects.filter((o) => boardField(o) && (hasRoute(`GET /api/objects/${o.name}/funnel`) || hasRoute('GET /api/objects/{object}/funnel')));
  if (!withFunnel.length) return null;
  return (
    <Row gutter={[16, 16]}>
      {withFunnel.map((o) => (
        <WorkflowFunnel key={o.name} def={o} />
      ))}
    </Row>
  );
}

function WorkflowFunnel({ def }: { def: ObjectDef }) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const navigate = useNavigate();
  const [answer, setAnswer] = useState<FunnelAnswer | null>(null);
  useEffect(() => {
    api<FunnelAnswer>(`/api/objects/${def.name}/funnel`).then((r) => setAnswer(r.data), () => setAnswer(null));
  }, [def.name]);
  if (!answer) return null;
  const field = def.fields.find((f) => f.name === answer.field);
  const amount = answer.amountField ? def.fields.find((f) => f.name === answer.amountField) : undefined;
  const max = Math.max(1, ...answer.states.map((s) => s.entered));
  return (
    <Col xs={24} xl={12}>
      <Card size="small" title={t('reports.workflowFunnel', { object: label(def.pluralLabel ?? def.label, def.name) })} data-testid={`funnel-${def.name}`}>
        {answer.states.map((s) => (
          <div key={s.state} role="link" tabIndex={0} style={{ display: 'grid', gridTemplateColumns: 'minmax(90px, 28%) 1fr', gap: 8, padding: '3px 0', cursor: 'pointer' }}
            onClick={() => navigate(`/app/o/${def.name}?${searchFromState({ filters: [{ field: answer.field, op: 'eq', value: s.state }], sort: null })}`)}>
            <Typography.Text ellipsis style={{ textAlign: 'right' }}>{field ? optionLabel(field, s.state, language) : s.state}</Typography.Text>
            <div>
              <div style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                <div style={{ width: `${Math.max(2, (s.entered / max) * 100)}%`, height: 18, background: (field && optionColor(field, s.state)) ?? '#597ef7', borderRadius: 3, opacity: 0.85 }} />
                <Typography.Text style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{t('reports.entered', { count: s.entered })}</Typography.Text>
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[
                  s.conversion !== null ? t('reports.conversion', { percent: Math.round(s.conversion * 100) }) : '',
                  s.averageHoursInState !== null ? t('reports.avgTime', { days: (s.averageHoursInState / 24).toFixed(1) }) : '',
                  t('reports.now', { count: s.count }) + (amount && s.amount ? ` · ${formatValue(amount, s.amount, language)}` : ''),
                ].filter(Boolean).join(' · ')}
              </Typography.Text>
            </div>
          </div>
        ))}
        {!answer.complete && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('reports.partial')}</Typography.Text>}
      </Card>
    </Col>
  );
}
