/**
 * Reports and dashboards from the aggregate API (count and sum grouped by a picklist, owner,
 * user or lookup, honouring the caller's permissions): the dashboard the metadata suggests —
 * funnel by stage, open pipeline by owner, records by status — and a report of the user's own
 * choosing. Every bar drills down to the list of the records behind it.
 */
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Card, Col, Empty, Row, Segmented, Select, Space, Spin, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import { fieldLabel, formatValue, optionColor, optionLabel } from '../format';
import { groupOptions, numericFields, sumFields } from '../listQuery';
import type { ChartSpec } from '../reports';
import { dashboardCharts, drillDown } from '../reports';
import type { AggregateAnswer } from '../staffApi';
import { aggregate } from '../staffApi';
import { api } from '../../api';
import { boardField } from '../board';
import { searchFromState } from '../listQuery';
import { fieldOrOwner } from '../components/FilterBar';

export default function Reports() {
  const { t } = useTranslation('staff');
  const { objects } = useStaff();
  const charts = useMemo(() => dashboardCharts(objects), [objects]);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="reports-title">{t('reports.title')}</Typography.Title>
      <CustomReport />
      <WorkflowFunnels />
      <Typography.Title level={4} style={{ margin: 0 }}>{t('reports.dashboard')}</Typography.Title>
      {charts.length === 0 ? (
        <Empty description={t('reports.noCharts')} />
      ) : (
        <Row gutter={[16, 16]}>
          {charts.map((c) => (
            <Col key={c.id} xs={24} xl={12}>
              <Chart spec={c} />
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}

function CustomReport() {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { objects } = useStaff();
  const [object, setObject] = useState<string>(objects.find((o) => o.name === 'opportunity')?.name ?? objects[0]?.name ?? '');
  const def = objects.find((o) => o.name === object);
  const [groupBy, setGroupBy] = useState<string>('owner');
  const [sum, setSum] = useState<string | null>(null);
  useEffect(() => {
    if (!def) return;
    setGroupBy(groupOptions(def)[0] ?? 'owner');
    setSum(sumFields(def)[0] ?? null);
  }, [def]);
  if (!def) return null;
  return (
    <Card size="small" title={t('reports.custom')} data-testid="custom-report">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select style={{ minWidth: 180 }} value={object} onChange={setObject} showSearch={{ optionFilterProp: 'label' }} options={objects.map((o) => ({ value: o.name, label: label(o.pluralLabel ?? o.label, o.name) }))} data-testid="report-object" />
        <Select style={{ minWidth: 160 }} value={groupBy} onChange={setGroupBy} options={groupOptions(def).map((g) => ({ value: g, label: `${t('reports.by')} ${fieldLabel(def, g, language)}` }))} data-testid="report-group" />
        <Select style={{ minWidth: 160 }} value={sum ?? ''} onChange={(s: string) => setSum(s || null)} options={[{ value: '', label: t('reports.countOnly') }, ...numericFields(def).map((f) => ({ value: f, label: `Σ ${fieldLabel(def, f, language)}` }))]} data-testid="report-sum" />
      </Space>
      <Chart spec={{ id: 'custom', object, groupBy, sum, filters: [], kind: 'bars' }} bare />
    </Card>
  );
}

function Chart({ spec, bare }: { spec: ChartSpec; bare?: boolean }) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { object, nameOf } = useStaff();
  const navigate = useNavigate();
  const def = object(spec.object) as ObjectDef;
  const [answer, setAnswer] = useState<AggregateAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [measure, setMeasure] = useState<'sum' | 'count'>(spec.sum ? 'sum' : 'count');
  useEffect(() => setMeasure(spec.sum ? 'sum' : 'count'), [spec.sum]);
  const key = JSON.stringify(spec);
  useEffect(() => {
    let live = true;
    setAnswer(null);
    setError(null);
    aggregate(spec.object, spec.filters, spec.groupBy, spec.sum ? [spec.sum] : []).then((a) => live && setAnswer(a), (e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => void (live = false);
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const field = fieldOrOwner(def, spec.groupBy);
  const sumField = spec.sum ? def.fields.find((f) => f.name === spec.sum) : undefined;
  const groupName = (k: string | null) => (k === null ? t('list.noValue') : field?.type === 'picklist' ? optionLabel(field, k, language) : formatValue(field, field?.type === 'boolean' ? k === 'true' : k, language, nameOf) || k);
  const value = (g: AggregateAnswer['groups'][number]) => (measure === 'sum' && spec.sum ? (g.sum[spec.sum] ?? 0) : g.count);
  const groups = answer ? (spec.kind === 'funnel' ? answer.groups : [...answer.groups].sort((a, b) => value(b) - value(a))) : [];
  const max = Math.max(1, ...groups.map(value));
  const title = spec.kind === 'funnel' ? t('reports.funnel', { object: label(def.pluralLabel ?? def.label, def.name), field: fieldLabel(def, spec.groupBy, language) }) : t('reports.byField', { object: label(def.pluralLabel ?? def.label, def.name), field: fieldLabel(def, spec.groupBy, language) });
  const body = (
    <Spin spinning={answer === null && !error}>
      {error && <Alert type="error" title={error} />}
      {answer && groups.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.empty')} />}
      <div data-testid={`chart-${spec.id}`}>
        {groups.map((g) => {
          const v = value(g);
          const width = `${Math.max(2, (v / max) * 100)}%`;
          const text = measure === 'sum' && sumField ? formatValue(sumField, v, language) : String(v);
          const color = field ? optionColor(field, g.key) : undefined;
          return (
            <Tooltip key={String(g.key)} title={t('reports.drill', { count: g.count })}>
              <div role="link" tabIndex={0} data-testid="chart-bar" onClick={() => navigate(drillDown(spec, g.key))} onKeyDown={(e) => e.key === 'Enter' && navigate(drillDown(spec, g.key))}
                style={{ display: 'grid', gridTemplateColumns: 'minmax(90px, 30%) 1fr', alignItems: 'center', gap: 8, padding: '3px 0', cursor: 'pointer' }}>
                <Typography.Text ellipsis style={{ textAlign: 'right' }}>{groupName(g.key)}</Typography.Text>
                <div style={{ display: 'flex', justifyContent: spec.kind === 'funnel' ? 'center' : 'flex-start', alignItems: 'center', gap: 6 }}>
                  <div style={{ width, height: 22, background: color ?? (spec.kind === 'funnel' ? '#597ef7' : '#2f54eb'), borderRadius: 3, opacity: 0.85 }} />
                  <Typography.Text style={{ whiteSpace: 'nowrap', fontSize: 12 }}>{text}</Typography.Text>
                </div>
              </div>
            </Tooltip>
          );
        })}
      </div>
      {answer && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('reports.total', { count: answer.total })}{answer.complete ? '' : ` · ${t('reports.partial')}`}
        </Typography.Text>
      )}
    </Spin>
  );
  const toggle = spec.sum ? <Segmented size="small" value={measure} onChange={(m) => setMeasure(m as 'sum' | 'count')} options={[{ value: 'sum', label: 'Σ' }, { value: 'count', label: '#' }]} /> : null;
  if (bare) return <>{toggle}{body}</>;
  return <Card size="small" title={title} extra={toggle} data-testid={`card-${spec.id}`}>{body}</Card>;
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
