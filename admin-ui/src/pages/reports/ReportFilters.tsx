/** A report's filters: a field, an operator the list API serves for it, and a value typed in the rule builders' value input. */
import { Button, Card, Col, Form, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { statusAt } from '../../editing';
import { MAX_FILTERS, filterInput, filterOps, filterableFields, statusExactly } from '../../reports/reportDrafts';
import type { InputKind } from '../../rules/facts';
import { useLanguage } from '../../useLanguage';
import { useValueSources } from '../rules/common';
import { ValueInput } from '../rules/ValueInput';
import type { ValueSources } from '../rules/ValueInput';
import type { PartProps } from './ReportEditor';

/** The rule builders' value input as a form control: typed values, the form keeps them. */
function FilterValue(props: { input: InputKind; choices?: ReadonlyArray<{ value: string; label: string }>; multiple: boolean; sources: ValueSources; testId: string; status?: 'error'; value?: unknown; onChange?: (v: unknown) => void }) {
  return <ValueInput {...props} value={props.value} onChange={(v) => props.onChange?.(v)} />;
}

export function Filters({ form, object, placed, fieldLabel }: PartProps) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const sources = useValueSources(object);
  const filters = Form.useWatch('filters', form) ?? [];
  const options = filterableFields(object).map((f) => ({ value: f.name, label: fieldLabel(f.name) }));
  return (
    <Card size="small" title={t('reports.filters')} style={{ marginTop: 16 }}>
      <Form.List name="filters">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => {
              const row = filters[i];
              const { input, multiple } = filterInput(object, row?.field, row?.op);
              const picklist = object?.fields.find((x) => x.name === row?.field);
              const choices = picklist?.type === 'picklist' ? picklist.options.map((o) => ({ value: o.value, label: label(o.label, o.value) })) : undefined;
              const valueStatus = statusAt(placed, `filters/${i}/value`);
              return (
                <Row gutter={8} key={f.key} align="top">
                  <Col span={7}><Form.Item name={[f.name, 'field']} rules={[{ required: true }]} {...statusAt(placed, `filters/${i}/field`)}>
                    <Select data-testid={`filter-field-${i}`} placeholder={t('reports.field')} showSearch optionFilterProp="label" options={options}
                      onChange={(v: string) => { form.setFieldValue(['filters', f.name, 'op'], filterOps(object, v)[0]); form.setFieldValue(['filters', f.name, 'value'], undefined); }} />
                  </Form.Item></Col>
                  <Col span={4}><Form.Item name={[f.name, 'op']} rules={[{ required: true }]} {...statusExactly(placed, `filters/${i}`, `filters/${i}/op`)}>
                    <Select data-testid={`filter-op-${i}`} placeholder={t('reports.operator')} options={filterOps(object, row?.field).map((op) => ({ value: op, label: t(`reports.ops.${op}`) }))}
                      onChange={() => form.setFieldValue(['filters', f.name, 'value'], undefined)} />
                  </Form.Item></Col>
                  <Col span={10}><Form.Item name={[f.name, 'value']} {...valueStatus}>
                    <FilterValue input={input} multiple={multiple} {...(choices ? { choices } : {})} sources={sources} testId={`filter-value-${i}`} {...(valueStatus.validateStatus ? { status: 'error' as const } : {})} />
                  </Form.Item></Col>
                  <Col><Button onClick={() => remove(f.name)}>{t('reports.remove')}</Button></Col>
                </Row>
              );
            })}
            {fields.length < MAX_FILTERS && <Button data-testid="add-filter" onClick={() => add({})}>{t('reports.addFilter')}</Button>}
          </>
        )}
      </Form.List>
    </Card>
  );
}
