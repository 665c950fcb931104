/** One conversion (a lead into an account, a contact and perhaps an opportunity): the status that marks it, the lookups between the records, which fields carry over and the values each record is given. */
import { useState } from 'react';
import { useParams } from 'react-router';
import { Button, Card, Col, Form, Input, Row, Select, Space, Switch, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { API_NAME } from '../../../../functions/engine/metadata/types';
import {
  TARGETS, emptyConversion, fromConversionForm, lookupsTo, mappableTargets, sourcesFor, stampFields, statusFields, toConversionForm,
} from '../../conversions/conversionDrafts';
import type { ConversionForm, Target } from '../../conversions/conversionDrafts';
import { useDraft } from '../../draft';
import { EntryHeader, useDraftEntry } from '../../draftEntry';
import { statusAt } from '../../editing';
import type { PlacedProblem } from '../../editing';
import { statusExactly } from '../../reports/reportDrafts';
import type { ConversionDef, FieldDef, ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { FixedValues } from './FixedValues';
import { OtherProblems } from '../rules/common';
import { LabelsField } from './LabelsField';

const CLAIMED = ['name', 'label', 'object', 'status', 'convertedAt', ...TARGETS];
const ROUTES = { list: '/reports?kind=conversions', entry: (name: string) => `/reports/conversion/${name}` };

export default function ConversionEditor() {
  const { t } = useTranslation();
  const { name } = useParams();
  const { draft } = useDraft();
  const conversions = draft?.bundle.conversions ?? [];
  const index = name === 'new' ? -1 : conversions.findIndex((c) => c.name === name);
  if (!draft || (name !== 'new' && index < 0)) return <Card loading={!draft}>{draft ? t('reports.notFound', { name }) : null}</Card>;
  const objects = draft.bundle.objects;
  const original = index >= 0 ? conversions[index]! : emptyConversion(objects.find((o) => o.name === 'lead') ?? objects[0], objects);
  return <ConversionFormView key={name} index={index} original={original} />;
}

function ConversionFormView({ index, original }: { index: number; original: ConversionDef }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { draft } = useDraft();
  const entry = useDraftEntry('conversions', index, ROUTES);
  const { placed } = entry;
  const [form] = Form.useForm<ConversionForm>();
  const [initial] = useState(() => toConversionForm(original));
  const bundle = draft!.bundle;
  const objects = bundle.objects;
  const sourceName = Form.useWatch('object', form) ?? initial.object;
  const statusName = Form.useWatch(['status', 'field'], form) ?? initial.status.field;
  const source = objects.find((o) => o.name === sourceName);
  const statusField = source?.fields.find((f) => f.name === statusName);
  const others = (bundle.conversions ?? []).filter((_, i) => i !== index).map((c) => c.name);
  const fieldOptions = (fields: readonly FieldDef[]) => fields.map((f) => ({ value: f.name, label: `${label(f.label, f.name)} (${f.name})` }));

  const submit = async () => {
    await form.validateFields();
    await entry.save(fromConversionForm(form.getFieldsValue(true) as ConversionForm, index >= 0 ? original : undefined), original.name);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <EntryHeader title={index < 0 ? t('conversions.new') : t('conversions.editTitle', { name: original.name })} entry={entry} labels={{ back: t('reports.back'), delete: t('reports.delete') }}
        deleteConfirm={index < 0 ? null : { title: t('reports.deleteConfirm', { name: original.name }) }} saveTestId="save-conversion" onSave={() => void submit().catch(() => undefined)} />
      <OtherProblems problems={placed} claimed={CLAIMED} />
      <Form<ConversionForm> form={form} layout="vertical" initialValues={initial}>
        <Card size="small">
          <Row gutter={16}>
            <Col span={6}><Form.Item name="object" label={t('conversions.source')} rules={[{ required: true }]} {...statusAt(placed, 'object')}>
              <Select data-testid="conversion-object" showSearch optionFilterProp="label" options={objects.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))}
                onChange={() => form.setFieldsValue({ status: {}, convertedAt: undefined })} />
            </Form.Item></Col>
            <Col span={6}><Form.Item name="name" label={t('reports.name')} {...statusAt(placed, 'name')}
              rules={[{ required: true, message: t('reports.nameRequired') }, { pattern: API_NAME, message: t('reports.nameInvalid') },
                { validator: async (_, v: string) => { if (others.includes(v)) throw new Error(t('reports.nameTaken')); } }]}>
              <Input data-testid="conversion-name" />
            </Form.Item></Col>
            <Col span={12}><Form.Item name="label" label={t('conversions.label')} {...statusAt(placed, 'label')}><LabelsField testId="conversion-label" /></Form.Item></Col>
          </Row>
          <Row gutter={16}>
            <Col span={6}><Form.Item name={['status', 'field']} label={t('conversions.statusField')} rules={[{ required: true }]} {...statusAt(placed, 'status/field')}>
              <Select data-testid="conversion-status-field" options={fieldOptions(statusFields(source))} onChange={() => form.setFieldValue(['status', 'value'], undefined)} />
            </Form.Item></Col>
            <Col span={6}><Form.Item name={['status', 'value']} label={t('conversions.statusValue')} rules={[{ required: true }]} {...statusAt(placed, 'status/value')}>
              <Select data-testid="conversion-status-value" options={statusField?.type === 'picklist' ? statusField.options.map((o) => ({ value: o.value, label: label(o.label, o.value) })) : []} />
            </Form.Item></Col>
            <Col span={6}><Form.Item name="convertedAt" label={t('conversions.convertedAt')} {...statusAt(placed, 'convertedAt')}>
              <Select allowClear options={fieldOptions(stampFields(source))} />
            </Form.Item></Col>
          </Row>
        </Card>
        {TARGETS.map((role) => <TargetCard key={role} role={role} form={form} source={source} objects={objects} placed={placed} fieldOptions={fieldOptions} />)}
      </Form>
    </Space>
  );
}

interface TargetProps {
  readonly role: Target;
  readonly form: FormInstance<ConversionForm>;
  readonly source: ObjectDef | undefined;
  readonly objects: readonly ObjectDef[];
  readonly placed: readonly PlacedProblem[];
  readonly fieldOptions: (fields: readonly FieldDef[]) => Array<{ value: string; label: string }>;
}

function TargetCard({ role, form, source, objects, placed, fieldOptions }: TargetProps) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const enabled = Form.useWatch('withOpportunity', form) ?? false;
  const targetName = Form.useWatch([role, 'object'], form);
  const target = objects.find((o) => o.name === targetName);
  const account = Form.useWatch(['account', 'object'], form);
  const map = Form.useWatch([role, 'map'], form) ?? [];
  const on = role !== 'opportunity' || enabled;
  const toField = (j: number) => target?.fields.find((f) => f.name === map[j]?.to);
  return (
    <Card size="small" style={{ marginTop: 16 }} title={t(`conversions.targets.${role}`)}
      extra={role === 'opportunity' && <Form.Item name="withOpportunity" valuePropName="checked" noStyle><Switch data-testid="conversion-with-opportunity" /></Form.Item>}>
      {on && (
        <>
          <Row gutter={16}>
            <Col span={6}><Form.Item name={[role, 'object']} label={t('reports.object')} rules={[{ required: true }]} {...statusAt(placed, `${role}/object`)}>
              <Select showSearch optionFilterProp="label" options={objects.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />
            </Form.Item></Col>
            <Col span={6}><Form.Item name={[role, 'link']} label={t('conversions.link')} tooltip={t('conversions.linkHelp')} rules={[{ required: true }]} {...statusAt(placed, `${role}/link`)}>
              <Select data-testid={`conversion-${role}-link`} options={fieldOptions(lookupsTo(source, target?.name))} />
            </Form.Item></Col>
            {role !== 'account' && (
              <Col span={6}><Form.Item name={[role, 'accountField']} label={t('conversions.accountField')} {...statusAt(placed, `${role}/accountField`)}>
                <Select allowClear options={fieldOptions(lookupsTo(target, account))} />
              </Form.Item></Col>
            )}
            <Col span={6}><Form.Item name={[role, 'sourceField']} label={t('conversions.sourceField')} {...statusAt(placed, `${role}/sourceField`)}>
              <Select allowClear options={fieldOptions(lookupsTo(target, source?.name))} />
            </Form.Item></Col>
          </Row>
          <Typography.Text strong>{t('conversions.map')}</Typography.Text>
          <Form.List name={[role, 'map']}>
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, j) => (
                  <Row gutter={8} key={f.key}>
                    <Col span={8}><Form.Item name={[f.name, 'from']} rules={[{ required: true }]} {...statusAt(placed, `${role}/map/${j}/from`)}>
                      <Select placeholder={t('conversions.from')} showSearch optionFilterProp="label" options={fieldOptions(sourcesFor(source, toField(j)))} />
                    </Form.Item></Col>
                    <Col span={8}><Form.Item name={[f.name, 'to']} rules={[{ required: true }]} {...statusExactly(placed, `${role}/map/${j}`, `${role}/map/${j}/to`)}>
                      <Select placeholder={t('conversions.to')} showSearch optionFilterProp="label" options={fieldOptions(mappableTargets(target))} />
                    </Form.Item></Col>
                    <Col><Button onClick={() => remove(f.name)}>{t('reports.remove')}</Button></Col>
                  </Row>
                ))}
                <Button onClick={() => add({})}>{t('conversions.addMapping')}</Button>
              </>
            )}
          </Form.List>
          <FixedValues role={role} form={form} source={source} target={target} placed={placed} fieldOptions={fieldOptions} />
        </>
      )}
    </Card>
  );
}
