/** One report: its object, one or two groupings, measures, filters and chart; problems the API reports for it shown at their inputs. */
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { Button, Card, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { API_NAME } from '../../../../functions/engine/metadata/types';
import { useDraft } from '../../draft';
import { EntryHeader, useDraftEntry } from '../../draftEntry';
import { statusAt } from '../../editing';
import type { PlacedProblem } from '../../editing';
import { apiName } from '../../fieldSettings';
import {
  CHART_TYPES, MAX_DIMENSIONS, MAX_FILTERS, MAX_MEASURES, MEASURE_FNS, OWNER, TIME_UNITS, dashboardsShowing, emptyReport,
  fromReportForm, groupableFields, measurableFields, needsUnit, saveReport, statusExactly, toReportForm,
} from '../../reports/reportDrafts';
import type { ReportForm } from '../../reports/reportDrafts';
import type { ObjectDef, ReportDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { OtherProblems } from '../rules/common';
import { LabelsField } from './LabelsField';
import { Filters } from './ReportFilters';

/** What the inputs show problems for: anything else (a list's own length) is listed above the form. */
const ROUTES = { list: '/reports?kind=reports', entry: (name: string) => `/reports/report/${name}` };
const CLAIMED = ['name', 'label', 'description', 'object', 'chart', ...Array.from({ length: MAX_FILTERS }, (_, i) => [`groupings/${i}`, `measures/${i}`, `filters/${i}`]).flat()];

export default function ReportEditor() {
  const { t } = useTranslation();
  const { name } = useParams();
  const [search] = useSearchParams();
  const { draft } = useDraft();
  const reports = draft?.bundle.reports ?? [];
  const index = name === 'new' ? -1 : reports.findIndex((r) => r.name === name);
  if (!draft || (name !== 'new' && index < 0)) return <Card loading={!draft}>{draft ? t('reports.notFound', { name }) : null}</Card>;
  const objects = draft.bundle.objects;
  const original = index >= 0 ? reports[index]! : emptyReport(objects.find((o) => o.name === search.get('object')) ?? objects[0]);
  // Keyed by name: after a save under a new name the form starts again from what was saved.
  return <ReportFormView key={name} index={index} original={original} />;
}

function ReportFormView({ index, original }: { index: number; original: ReportDef }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { draft } = useDraft();
  const entry = useDraftEntry('reports', index, ROUTES, saveReport);
  const { placed } = entry;
  const bundle = draft!.bundle;
  const objects = bundle.objects;
  const [form] = Form.useForm<ReportForm>();
  const [initial] = useState(() => toReportForm(original, objects));
  const objectName = Form.useWatch('object', form) ?? initial.object;
  const object = objects.find((o) => o.name === objectName);
  const others = (bundle.reports ?? []).filter((_, i) => i !== index).map((r) => r.name);
  const fieldLabel = (f: string) => (f === OWNER ? `${t('reports.owner')} (${OWNER})` : `${label(object?.fields.find((x) => x.name === f)?.label, f)} (${f})`);

  const submit = async () => {
    await form.validateFields();
    await entry.save(fromReportForm(form.getFieldsValue(true) as ReportForm, objects, index >= 0 ? original : undefined), original.name);
  };
  const usedBy = index >= 0 ? dashboardsShowing(bundle, original.name).map((d) => d.name) : [];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <EntryHeader title={index < 0 ? t('reports.newReport') : t('reports.reportTitle', { name: original.name })} entry={entry} labels={{ back: t('reports.back'), delete: t('reports.delete') }}
        deleteConfirm={index < 0 ? null : { title: t('reports.deleteConfirm', { name: original.name }), description: usedBy.length ? t('reports.usedBy', { names: usedBy.join(', ') }) : undefined }}
        saveTestId="save-report" onSave={() => void submit().catch(() => undefined)} />
      <OtherProblems problems={placed} claimed={CLAIMED} />
      <Form<ReportForm> form={form} layout="vertical" initialValues={initial}
        onValuesChange={(changed: Partial<ReportForm>) => {
          // Another object: its own groupable field and a count, no filters (the old fields are not its).
          if (changed.object !== undefined) {
            const fresh = emptyReport(objects.find((o) => o.name === changed.object));
            form.setFieldsValue({ groupings: fresh.groupings, measures: fresh.measures, filters: [] });
          }
        }}>
        <Card size="small">
          <Row gutter={16}>
            <Col span={6}><Form.Item name="object" label={t('reports.object')} rules={[{ required: true }]} {...statusAt(placed, 'object')}>
              <Select data-testid="report-object" showSearch optionFilterProp="label" options={objects.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />
            </Form.Item></Col>
            <Col span={6}><Form.Item name="name" label={t('reports.name')} {...statusAt(placed, 'name')}
              rules={[{ required: true, message: t('reports.nameRequired') }, { pattern: API_NAME, message: t('reports.nameInvalid') },
                { validator: async (_, v: string) => { if (others.includes(v)) throw new Error(t('reports.nameTaken')); } }]}>
              <Input data-testid="report-name" onBlur={(e) => form.setFieldValue('name', apiName(e.target.value) || e.target.value)} />
            </Form.Item></Col>
            <Col span={6}><Form.Item name="chart" label={t('reports.chart')} dependencies={['groupings']} {...statusAt(placed, 'chart')}
              rules={[{ validator: async (_, chart: string) => { if ((chart === 'pie' || chart === 'funnel') && (form.getFieldValue('groupings')?.length ?? 0) > 1) throw new Error(t('reports.oneGrouping')); } }]}>
              <Select data-testid="report-chart" options={CHART_TYPES.map((c) => ({ value: c, label: t(`reports.charts.${c}`) }))} />
            </Form.Item></Col>
          </Row>
          <Form.Item name="label" label={t('reports.label')} {...statusAt(placed, 'label')}
            rules={[{ validator: async (_, v: ReportForm['label']) => { if (!v || !Object.values(v).some(Boolean)) throw new Error(t('reports.labelRequired')); } }]}>
            <LabelsField testId="report-label" />
          </Form.Item>
          <Form.Item name="description" label={t('reports.description')} {...statusAt(placed, 'description')}>
            <LabelsField />
          </Form.Item>
        </Card>
        <Groupings form={form} object={object} placed={placed} fieldLabel={fieldLabel} />
        <Measures form={form} object={object} placed={placed} fieldLabel={fieldLabel} />
        <Filters form={form} object={object} placed={placed} fieldLabel={fieldLabel} />
      </Form>
    </Space>
  );
}

export interface PartProps {
  readonly form: FormInstance<ReportForm>;
  readonly object: ObjectDef | undefined;
  readonly placed: readonly PlacedProblem[];
  readonly fieldLabel: (field: string) => string;
}

function Groupings({ form, object, placed, fieldLabel }: PartProps) {
  const { t } = useTranslation();
  const groupings = Form.useWatch('groupings', form) ?? [];
  const options = groupableFields(object).map((f) => ({ value: f.name, label: fieldLabel(f.name) }));
  return (
    <Card size="small" title={t('reports.groupings')} extra={<Typography.Text type="secondary">{t('reports.groupingsHelp')}</Typography.Text>} style={{ marginTop: 16 }}>
      <Form.List name="groupings">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Row gutter={16} key={f.key} align="bottom">
                <Col span={8}><Form.Item name={[f.name, 'field']} label={t('reports.field')} rules={[{ required: true }]} {...statusAt(placed, `groupings/${i}/field`)}>
                  <Select data-testid={`grouping-field-${i}`} showSearch optionFilterProp="label" options={options}
                    onChange={(v: string) => form.setFieldValue(['groupings', f.name, 'unit'], needsUnit(object, v) ? 'month' : undefined)} />
                </Form.Item></Col>
                {needsUnit(object, groupings[i]?.field) && (
                  <Col span={4}><Form.Item name={[f.name, 'unit']} label={t('reports.unit')} rules={[{ required: true }]} {...statusExactly(placed, `groupings/${i}`, `groupings/${i}/unit`)}>
                    <Select data-testid={`grouping-unit-${i}`} options={TIME_UNITS.map((u) => ({ value: u, label: t(`reports.units.${u}`) }))} />
                  </Form.Item></Col>
                )}
                {fields.length > 1 && <Col><Form.Item><Button onClick={() => remove(f.name)}>{t('reports.remove')}</Button></Form.Item></Col>}
              </Row>
            ))}
            {fields.length < MAX_DIMENSIONS && <Button data-testid="add-grouping" onClick={() => add({})}>{t('reports.addGrouping')}</Button>}
          </>
        )}
      </Form.List>
    </Card>
  );
}

function Measures({ form, object, placed, fieldLabel }: PartProps) {
  const { t } = useTranslation();
  const measures = Form.useWatch('measures', form) ?? [];
  const options = measurableFields(object).map((f) => ({ value: f.name, label: fieldLabel(f.name) }));
  return (
    <Card size="small" title={t('reports.measures')} extra={<Typography.Text type="secondary">{t('reports.measuresHelp')}</Typography.Text>} style={{ marginTop: 16 }}>
      <Form.List name="measures">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Row gutter={16} key={f.key} align="bottom">
                <Col span={5}><Form.Item name={[f.name, 'fn']} label={i === 0 ? t('reports.aggregate') : undefined} {...statusExactly(placed, `measures/${i}`, `measures/${i}/fn`)}>
                  <Select data-testid={`measure-fn-${i}`} options={MEASURE_FNS.map((fn) => ({ value: fn, label: t(`reports.fns.${fn}`), disabled: fn !== 'count' && !options.length }))}
                    onChange={(fn: string) => { if (fn === 'count') form.setFieldValue(['measures', f.name, 'field'], undefined); }} />
                </Form.Item></Col>
                {measures[i]?.fn !== undefined && measures[i]?.fn !== 'count' && (
                  <Col span={8}><Form.Item name={[f.name, 'field']} label={i === 0 ? t('reports.field') : undefined} rules={[{ required: true }]} {...statusAt(placed, `measures/${i}/field`)}>
                    <Select data-testid={`measure-field-${i}`} showSearch optionFilterProp="label" options={options} />
                  </Form.Item></Col>
                )}
                {fields.length > 1 && <Col><Form.Item><Button onClick={() => remove(f.name)}>{t('reports.remove')}</Button></Form.Item></Col>}
              </Row>
            ))}
            {fields.length < MAX_MEASURES && <Button data-testid="add-measure" onClick={() => add({ fn: 'count' })}>{t('reports.addMeasure')}</Button>}
          </>
        )}
      </Form.List>
    </Card>
  );
}
