/**
 * A conversion target's fixed values (`set`): rows of a field of the target and what the new
 * record gets in it — a literal in an input that fits the field, a field of the source, or the
 * time of conversion plus days and hours (date fields). Problems publishing finds under
 * `<target>/set/<field>` show at the row of that field.
 */
import type { ReactNode } from 'react';
import { Button, Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Typography } from 'antd';
import type { FormInstance, FormItemProps } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { initialLiteral, setInputOf, setRowProblems, settableFields, sourcesFor, takesTime } from '../../conversions/conversionDrafts';
import type { ConversionForm, SetRow, Target, TargetForm } from '../../conversions/conversionDrafts';
import type { PlacedProblem } from '../../editing';
import { statusExactly } from '../../reports/reportDrafts';
import type { FieldDef, ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';

interface Props {
  readonly role: Target;
  readonly form: FormInstance<ConversionForm>;
  readonly source: ObjectDef | undefined;
  readonly target: ObjectDef | undefined;
  readonly placed: readonly PlacedProblem[];
  readonly fieldOptions: (fields: readonly FieldDef[]) => Array<{ value: string; label: string }>;
}

const statusOf = (problems: readonly PlacedProblem[]) => (problems.length ? { validateStatus: 'error' as const, help: problems.map((p) => p.message).join('; ') } : {});

const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

export function FixedValues({ role, form, source, target, placed, fieldOptions }: Props) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const current = (Form.useWatch(role, form) ?? {}) as Partial<TargetForm>;
  const rows: ReadonlyArray<Partial<SetRow> | undefined> = current.set ?? [];
  const fieldOf = (name: string | undefined) => target?.fields.find((f) => f.name === name);
  const whole = statusExactly(placed, `${role}/set`).help;
  return (
    <div style={{ marginTop: 12 }}>
      <Typography.Text strong>{t('conversions.set')}</Typography.Text>
      <Typography.Text type="secondary"> {t('conversions.setHelp')}</Typography.Text>
      <Form.List name={[role, 'set']}>
        {(items, { add, remove }) => (
          <>
            {items.map((item, j) => {
              const row = rows[j];
              const field = fieldOf(row?.field);
              const kind = row?.kind ?? 'value';
              const problems = setRowProblems(placed, role, row, Boolean(field));
              const id = `set-${role}-${j}`;
              return (
                <Row gutter={8} key={item.key} data-testid={id} align="top">
                  <Col span={6}>
                    <Form.Item name={[item.name, 'field']} rules={[{ required: true, message: t('conversions.setFieldRequired') }]}
                      {...statusOf(problems.field)}>
                      <Select data-testid={`${id}-field`} aria-label={t('conversions.setField')} placeholder={t('conversions.setField')} showSearch optionFilterProp="label"
                        options={fieldOptions(settableFields(target, current, j))}
                        onChange={(name: string) => form.setFieldValue([role, 'set', item.name], { field: name, kind: 'value', value: initialLiteral(fieldOf(name)) })} />
                    </Form.Item>
                  </Col>
                  <Col>
                    <Form.Item name={[item.name, 'kind']}>
                      <Radio.Group data-testid={`${id}-kind`} aria-label={t('conversions.setKind')} optionType="button" disabled={!field}
                        onChange={(e) => { if (e.target.value === 'value' && row?.value === undefined) form.setFieldValue([role, 'set', item.name, 'value'], initialLiteral(field)); }}
                        options={[{ value: 'value', label: t('conversions.setKinds.value') }, { value: 'field', label: t('conversions.setKinds.field') },
                          ...(takesTime(field) || kind === 'now' ? [{ value: 'now', label: t('conversions.setKinds.now') }] : [])]} />
                    </Form.Item>
                  </Col>
                  <Col flex="auto">
                    {field && kind === 'value' && (
                      <Form.Item name={[item.name, 'value']} {...literalItem(field)} {...statusOf(problems.value)}
                        rules={[{ validator: async (_, v: unknown) => { if (blank(v)) throw new Error(t('conversions.setValueRequired')); } }]}>
                        {literalInput(field, { testId: `${id}-value`, name: t('conversions.setValue'), idHint: t('conversions.recordId'),
                          // Only active options fit a new record (the picklist's value schema).
                          options: 'options' in field ? field.options.filter((o) => !o.inactive).map((o) => ({ value: o.value, label: label(o.label, o.value) })) : [] })}
                      </Form.Item>
                    )}
                    {field && kind === 'field' && (
                      <Form.Item name={[item.name, 'from']} rules={[{ required: true, message: t('conversions.setFromRequired') }]} {...statusOf(problems.value)}>
                        <Select data-testid={`${id}-from`} aria-label={t('conversions.from')} placeholder={t('conversions.from')} showSearch optionFilterProp="label"
                          options={fieldOptions(sourcesFor(source, field))} />
                      </Form.Item>
                    )}
                    {field && kind === 'now' && (
                      <Space align="start">
                        <Form.Item name={[item.name, 'offset', 'days']}>
                          <InputNumber data-testid={`${id}-days`} aria-label={t('conversions.days')} min={0} max={3650} suffix={t('conversions.days')} style={{ width: 130 }} />
                        </Form.Item>
                        <Form.Item name={[item.name, 'offset', 'hours']}>
                          <InputNumber data-testid={`${id}-hours`} aria-label={t('conversions.hours')} min={0} max={87600} suffix={t('conversions.hours')} style={{ width: 130 }} />
                        </Form.Item>
                        <Form.Item name={[item.name, 'offset', 'business']} valuePropName="checked">
                          <Checkbox data-testid={`${id}-business`}>{t('conversions.business')}</Checkbox>
                        </Form.Item>
                      </Space>
                    )}
                  </Col>
                  <Col><Button data-testid={`${id}-remove`} onClick={() => remove(item.name)}>{t('reports.remove')}</Button></Col>
                </Row>
              );
            })}
            <div><Button data-testid={`set-${role}-add`} onClick={() => add({ kind: 'value' })}>{t('conversions.addSet')}</Button></div>
            {whole && <Typography.Text type="danger">{whole}</Typography.Text>}
          </>
        )}
      </Form.List>
    </div>
  );
}

/** How the form item holds a literal of `field`: a switch is checked, a date picker shows a dayjs and gives back `YYYY-MM-DD` (a datetime an ISO instant). */
function literalItem(field: FieldDef): Partial<FormItemProps> {
  const input = setInputOf(field);
  if (input === 'switch') return { valuePropName: 'checked' };
  if (input === 'date' || input === 'datetime') {
    return {
      getValueProps: (v: unknown) => {
        const parsed = typeof v === 'string' && v ? dayjs(v) : null;
        return { value: parsed?.isValid() ? parsed : null };
      },
      normalize: (d: Dayjs | null) => (d ? (input === 'date' ? d.format('YYYY-MM-DD') : d.toISOString()) : undefined),
    };
  }
  // A cleared number input gives null: the row then has no value yet.
  if (input === 'number') return { normalize: (v: number | null) => v ?? undefined };
  return {};
}

interface LiteralText {
  readonly testId: string;
  /** The input's accessible name. */
  readonly name: string;
  /** The placeholder of a record id. */
  readonly idHint: string;
  /** A picklist's options, labelled in the console's language. */
  readonly options: Array<{ value: string; label: string }>;
}

/** The input of a literal of `field`. */
function literalInput(field: FieldDef, { testId, name, idHint, options }: LiteralText): ReactNode {
  const common = { 'data-testid': testId, 'aria-label': name, style: { width: '100%' } };
  switch (setInputOf(field)) {
    case 'switch': return <Switch data-testid={testId} aria-label={name} />;
    case 'number': return <InputNumber {...common} {...('min' in field && typeof field.min === 'number' ? { min: field.min } : {})} {...('max' in field && typeof field.max === 'number' ? { max: field.max } : {})} />;
    case 'date': return <DatePicker {...common} />;
    case 'datetime': return <DatePicker {...common} showTime />;
    case 'select': return <Select {...common} showSearch optionFilterProp="label" options={options} />;
    case 'multi-select': return <Select {...common} mode="multiple" optionFilterProp="label" options={options} />;
    case 'textarea': return <Input.TextArea {...common} autoSize={{ minRows: 1, maxRows: 4 }} />;
    case 'id': return <Input {...common} placeholder={idHint} />;
    default: return <Input {...common} />;
  }
}
