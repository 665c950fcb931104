/**
 * A report's chart, drawn with recharts (SVG, so every bar, slice and point is an element that
 * can be clicked). Imported only by the Reports page, which the router loads on demand: recharts
 * (≈106 KB gzipped) never weighs on the staff app's first load. As a chunk of its own it would
 * split the shared React chunk from antd's and add ≈0.7 KB to every first load, so it rides with
 * the page. Each data point drills down through `onDrill` with its groups' keys.
 */
import { Bar, BarChart, CartesianGrid, Cell, Funnel, FunnelChart, LabelList, Legend, Line, LineChart, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartType, Key, ReportResult, ReportView } from '../reportData';
import { chartRows, seriesOf } from '../reportData';

/** Distinct colours for series and slices (antd's palette), repeated past ten. */
const PALETTE = ['#1677ff', '#52c41a', '#fa8c16', '#eb2f96', '#722ed1', '#13c2c2', '#faad14', '#f5222d', '#2f54eb', '#a0d911'];

export interface ReportChartProps {
  readonly report: Pick<ReportView, 'groupings' | 'measures'> & { readonly chart: Exclude<ChartType, 'table'> };
  readonly result: ReportResult;
  /** A key of grouping `dimension` as the user reads it. */
  readonly keyLabel: (dimension: number, key: Key) => string;
  readonly seriesLabel: (series: { id: string; key?: Key }) => string;
  readonly valueText: (value: number) => string;
  /** Colour of a key of the first grouping (a picklist option's), if it has one. */
  readonly keyColor?: (key: Key) => string | undefined;
  readonly onDrill: (keys: Key[]) => void;
  /** BCP 47 locale of axis numbers (compact: 7.5M, 750万). */
  readonly locale: string;
  readonly height?: number;
}

export default function ReportChart({ report, result, keyLabel, seriesLabel, valueText, keyColor, onDrill, locale, height = 280 }: ReportChartProps) {
  // Axis ticks in short form: full amounts ("CNY 7,500,000.00") do not fit beside an axis; tooltips and the table give them in full.
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const tick = (v: number) => compact.format(v);
  const series = seriesOf(report, result);
  const rows = chartRows(report, result).map((r) => ({ ...r, label: keyLabel(0, r.key) }));
  const first = series[0];
  if (!first) return null;
  const color = (i: number, key?: Key) => (key !== undefined && keyColor?.(key)) || PALETTE[i % PALETTE.length]!;
  const tooltip = <Tooltip formatter={(v) => valueText(Number(v))} />;
  const stacked = report.groupings.length > 1;
  // Counts have no fractions: an axis of 0, 0.3, 0.8 records reads as a bug.
  const whole = first.measure.fn === 'count';
  const legend = series.length > 1 || stacked ? <Legend formatter={(id: string) => seriesLabel(series.find((s) => s.id === id) ?? { id })} /> : null;
  // A bar drills into its row and, with two groupings, its series' key.
  const drillBar = (s: (typeof series)[number], index: number) => {
    const row = rows[index];
    if (row) onDrill(s.key === undefined ? [row.key] : [row.key, s.key]);
  };

  if (report.chart === 'pie') {
    return (
      <ResponsiveContainer width="100%" height={height}>
        <PieChart>
          <Pie data={rows} dataKey={first.id} nameKey="label" outerRadius="75%" isAnimationActive={false} onClick={(_, i) => rows[i] && onDrill([rows[i].key])} style={{ cursor: 'pointer' }}>
            {rows.map((r, i) => <Cell key={String(r.key)} fill={color(i, r.key)} />)}
          </Pie>
          {tooltip}
          <Legend />
        </PieChart>
      </ResponsiveContainer>
    );
  }
  if (report.chart === 'funnel') {
    return (
      <ResponsiveContainer width="100%" height={height}>
        <FunnelChart>
          {tooltip}
          <Funnel data={rows} dataKey={first.id} nameKey="label" isAnimationActive={false} onClick={(_, i) => rows[i] && onDrill([rows[i].key])} style={{ cursor: 'pointer' }}>
            {rows.map((r, i) => <Cell key={String(r.key)} fill={color(i, r.key)} />)}
            <LabelList position="right" dataKey="label" fill="#595959" stroke="none" />
          </Funnel>
        </FunnelChart>
      </ResponsiveContainer>
    );
  }
  if (report.chart === 'line') {
    return (
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={rows} onClick={(state) => {
          const row = rows[Number(state?.activeTooltipIndex)];
          if (row) onDrill([row.key]);
        }} style={{ cursor: 'pointer' }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis tickFormatter={tick} width={56} allowDecimals={!whole} />
          {tooltip}
          {legend}
          {series.map((s, i) => <Line key={s.id} type="monotone" dataKey={s.id} name={s.id} stroke={color(i)} strokeWidth={2} isAnimationActive={false} />)}
        </LineChart>
      </ResponsiveContainer>
    );
  }
  const horizontal = report.chart === 'bar';
  return (
    <ResponsiveContainer width="100%" height={horizontal ? Math.max(height, rows.length * 28 + 40) : height}>
      <BarChart data={rows} layout={horizontal ? 'vertical' : 'horizontal'}>
        <CartesianGrid strokeDasharray="3 3" />
        {horizontal ? <XAxis type="number" tickFormatter={tick} allowDecimals={!whole} /> : <XAxis dataKey="label" />}
        {horizontal ? <YAxis type="category" dataKey="label" width={120} /> : <YAxis tickFormatter={tick} width={56} allowDecimals={!whole} />}
        {tooltip}
        {legend}
        {series.map((s, i) => (
          <Bar key={s.id} dataKey={s.id} name={s.id} fill={color(i)} isAnimationActive={false} cursor="pointer" {...(stacked ? { stackId: 'a' } : {})} onClick={(_, index) => drillBar(s, index)}>
            {series.length === 1 && !stacked && rows.map((r) => <Cell key={String(r.key)} fill={keyColor?.(r.key) ?? color(i)} />)}
          </Bar>
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
