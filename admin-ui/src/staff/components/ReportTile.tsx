/**
 * One report on a dashboard (or the user's own): runs it, shows loading, empty and error states
 * in the user's language, draws its chart and keeps
 * its numbers in the DOM as a table — visible with the table toggle, otherwise for screen
 * readers and tests (`data-testid="datum"`, `data-value`). Every point and row drills down to
 * the list of the records behind it.
 */
import { useEffect, useState } from 'react';
import type { CSSProperties } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Card, Empty, Segmented, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import { fieldLabel, formatValue, optionColor, optionLabel } from '../format';
import { fieldOrOwner } from './FilterBar';
import type { Key, Measure, ReportResult, ReportView } from '../reportData';
import { chartRows, drillFilters, listUrl, measureId, seriesOf, timeKeyLabel } from '../reportData';

import ReportChart from '../charts/ReportChart';

/** Out of sight, still read by screen readers (and tests). */
const VISUALLY_HIDDEN: CSSProperties = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' };

export interface TileProps {
  readonly report: Pick<ReportView, 'name' | 'object' | 'filters' | 'groupings' | 'measures' | 'chart'>;
  readonly title: string;
  /** Runs the report; called again when `runKey` changes. */
  readonly run: () => Promise<ReportResult>;
  readonly runKey: string;
  readonly testId: string;
  /** Without a card around it (inside the user's own report builder). */
  readonly bare?: boolean;
}

export function ReportTile({ report, title, run, runKey, testId, bare }: TileProps) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const { object, nameOf } = useStaff();
  const navigate = useNavigate();
  const def = object(report.object) as ObjectDef | undefined;
  const [result, setResult] = useState<ReportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<'chart' | 'table'>(report.chart === 'table' ? 'table' : 'chart');
  useEffect(() => setView(report.chart === 'table' ? 'table' : 'chart'), [report.chart]);
  useEffect(() => {
    let live = true;
    setResult(null);
    setError(null);
    run().then(
      (r) => live && setResult(r),
      (e) => live && setError(e instanceof ApiError && e.status === 403 ? t('reports.forbidden') : e instanceof Error ? e.message : String(e)),
    );
    return () => void (live = false);
  }, [runKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const keyLabel = (dimension: number, key: Key): string => {
    const g = report.groupings[dimension];
    if (!g || key === null) return t('list.noValue');
    if (g.unit) return timeKeyLabel(key, g.unit, language);
    const field = def ? fieldOrOwner(def, g.field) : undefined;
    if (field?.type === 'picklist') return optionLabel(field, key, language);
    return formatValue(field, field?.type === 'boolean' ? key === 'true' : key, language, nameOf) || key;
  };
  const measureLabel = (m: Measure) => (m.fn === 'count' ? t('reports.count') : t(`reports.fn.${m.fn}`, { field: def ? fieldLabel(def, m.field, language) : m.field }));
  const valueOf = (m: Measure) => (v: number) => (m.fn === 'count' || !def ? String(Math.round(v * 100) / 100) : formatValue(def.fields.find((f) => f.name === m.field), v, language) || String(v));
  const drill = (keys: Key[]) => result && navigate(listUrl(report.object, drillFilters(report, result, keys)));
  const firstGrouping = report.groupings[0];
  const keyField = def && firstGrouping ? fieldOrOwner(def, firstGrouping.field) : undefined;

  const series = result ? seriesOf(report, result) : [];
  const rows = result ? chartRows(report, result) : [];
  // A yes/no split reads as "SLA breached: Yes", not a bare "Yes".
  const second = def && report.groupings[1] ? fieldOrOwner(def, report.groupings[1].field) : undefined;
  const seriesLabel = (s: { id: string; key?: Key }) =>
    s.key !== undefined
      ? second?.type === 'boolean' && def ? `${fieldLabel(def, second.name, language)}: ${keyLabel(1, s.key)}` : keyLabel(1, s.key)
      : measureLabel(series.find((x) => x.id === s.id)?.measure ?? { fn: 'count' });
  const firstMeasure = report.measures[0] ?? ({ fn: 'count' } as const);
  const empty = result !== null && result.total === 0;

  // The numbers, as a table: every series of the chart, then (with one grouping) the report's other measures.
  const extra = report.groupings.length === 1 ? report.measures.filter((m) => !series.some((s) => s.id === measureId(m))) : [];
  const table = result && !empty && (
    <table style={view === 'table' ? { width: '100%', borderCollapse: 'collapse', fontSize: 13 } : VISUALLY_HIDDEN} data-testid="tile-table">
      <caption style={VISUALLY_HIDDEN}>{title}</caption>
      <thead>
        <tr>
          <th scope="col" style={{ textAlign: 'left', padding: 4 }}>{def && firstGrouping ? fieldLabel(def, firstGrouping.field, language) : ''}</th>
          {series.map((s) => <th key={s.id} scope="col" style={{ textAlign: 'right', padding: 4 }}>{seriesLabel(s)}</th>)}
          {extra.map((m) => <th key={measureId(m)} scope="col" style={{ textAlign: 'right', padding: 4 }}>{measureLabel(m)}</th>)}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const group = result.groups.find((g) => g.key === row.key);
          return (
            <tr key={String(row.key)} style={{ borderTop: '1px solid #f0f0f0' }}>
              <th scope="row" style={{ textAlign: 'left', padding: 4, fontWeight: 'normal' }}>
                <a href={listUrl(report.object, drillFilters(report, result, [row.key]))} onClick={(e) => { e.preventDefault(); drill([row.key]); }} data-testid="datum-link">{keyLabel(0, row.key)}</a>
              </th>
              {series.map((s) => {
                const v = Number(row[s.id] ?? 0);
                return <td key={s.id} style={{ textAlign: 'right', padding: 4 }} data-testid="datum" data-key={String(row.key)} data-series={s.key !== undefined ? String(s.key) : s.id} data-value={v}>{valueOf(s.measure)(v)}</td>;
              })}
              {extra.map((m) => {
                const v = group ? (m.fn === 'count' ? group.count : (group[m.fn]?.[m.field] ?? null)) : null;
                return <td key={measureId(m)} style={{ textAlign: 'right', padding: 4 }} data-testid="datum" data-key={String(row.key)} data-series={measureId(m)} data-value={v ?? ''}>{v === null ? '' : valueOf(m)(v)}</td>;
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );

  const body = (
    <div style={{ position: 'relative', minHeight: 120 }}>
      {error && <Alert type="error" showIcon title={error} />}
      {!result && !error && <div style={{ textAlign: 'center', padding: 40 }}><Spin /><div><Typography.Text type="secondary">{t('reports.loading')}</Typography.Text></div></div>}
      {empty && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.empty')} />}
      {result && !empty && view === 'chart' && report.chart !== 'table' && (
        <div data-testid="tile-chart">
          <ReportChart report={{ ...report, chart: report.chart }} result={result} keyLabel={keyLabel} seriesLabel={seriesLabel} valueText={valueOf(firstMeasure)}
            keyColor={keyField ? (k) => optionColor(keyField, k) : undefined} onDrill={drill} locale={language} />
        </div>
      )}
      {table}
      {result && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('reports.total', { count: result.total })}{result.complete ? '' : ` · ${t('reports.partial')}`}
        </Typography.Text>
      )}
    </div>
  );
  const toggle = report.chart !== 'table' && result && !empty ? (
    <Segmented size="small" value={view} onChange={(v) => setView(v as 'chart' | 'table')} options={[{ value: 'chart', label: t('reports.chartView') }, { value: 'table', label: t('reports.tableView') }]} data-testid="tile-view" />
  ) : null;
  if (bare) return <div data-testid={testId}>{toggle}{body}</div>;
  return <Card size="small" title={title} extra={toggle} data-testid={testId}>{body}</Card>;
}
