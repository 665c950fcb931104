/**
 * A formula field's expression: field picker and function list that insert at the caret, a
 * live type-check with the engine's own checker, and a preview against a sample record (the
 * object's first record when it has one, editable). Loaded with the formula settings only.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { Alert, Button, Card, Input, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { FORMULA_FUNCTIONS, checkFormulaField, insertAt, previewFormula } from '../formulas/formulaCheck';
import { inputOf } from '../rules/facts';
import type { FormulaField, MetadataBundle, ObjectDef } from '../types';
import { useLanguage } from '../useLanguage';
import { ValueInput } from './rules/ValueInput';

interface Props {
  readonly field: FormulaField;
  readonly object: ObjectDef;
  readonly bundle: MetadataBundle;
  readonly onChange: (expression: string) => void;
  readonly status?: 'error' | undefined;
}

const NO_SOURCES = { users: [], teams: [], roles: [], fields: [] };

export default function FormulaEditor({ field, object, bundle, onChange, status }: Props) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const area = useRef<TextAreaRef>(null);
  const [sample, setSample] = useState<Record<string, unknown>>({});
  const [loaded, setLoaded] = useState<string | null>(null);
  const expression = field.expression ?? '';
  const check = useMemo(() => (expression.trim() ? checkFormulaField({ ...field, expression }, object, bundle) : null), [field, expression, object, bundle]);
  const preview = useMemo(() => (check?.ok ? previewFormula({ ...field, expression }, object, sample, new Date(), bundle) : null), [check, field, expression, object, sample, bundle]);

  useEffect(() => {
    // A sample from the object's records, when it is published and has one.
    let live = true;
    api<{ items: Array<Record<string, unknown>> }>(`/api/objects/${encodeURIComponent(object.name)}/records?limit=1`).then(({ data }) => {
      const first = data.items[0];
      if (live && first) {
        setSample(first);
        setLoaded(String(first[object.nameField] ?? first.id ?? ''));
      }
    }, () => undefined);
    return () => void (live = false);
  }, [object.name, object.nameField]);

  const insert = (text: string) => {
    const el = area.current?.resizableTextArea?.textArea;
    const next = insertAt(expression, el?.selectionStart ?? expression.length, text);
    onChange(next.text);
    requestAnimationFrame(() => { el?.focus(); el?.setSelectionRange(next.caret, next.caret); });
  };
  const readable = object.fields.filter((f) => f.name !== field.name && f.type !== 'multi-picklist' && f.type !== 'rollup');
  const reads = check?.ok ? object.fields.filter((f) => check.fields.includes(f.name)) : [];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="formula-editor">
      <Space wrap>
        <Select placeholder={t('formula.insertField')} style={{ width: 200 }} showSearch optionFilterProp="label" value={null} onChange={(f: string) => insert(f)} data-testid="formula-field-picker"
          options={readable.map((f) => ({ value: f.name, label: `${label(f.label, f.name)} (${f.name})` }))} />
        <Select placeholder={t('formula.insertFunction')} style={{ width: 200 }} showSearch value={null} onChange={(fn: string) => insert(`${fn}(`)} data-testid="formula-function-picker"
          options={FORMULA_FUNCTIONS.map((fn) => ({ value: fn, label: fn }))} />
      </Space>
      <Input.TextArea ref={area} status={status ?? (check && !check.ok ? 'error' : undefined)} autoSize={{ minRows: 2, maxRows: 6 }} style={{ fontFamily: 'monospace' }}
        value={expression} onChange={(e) => onChange(e.target.value)} data-testid="formula-expression" placeholder="IF(amount > 100000, &quot;large&quot;, &quot;small&quot;)" />
      {check && (check.ok
        ? <Alert type="success" showIcon data-testid="formula-check" title={t('formula.gives', { type: check.type })}
          description={<Space wrap size={4}>{t('formula.reads')} {[...check.fields, ...check.paths].map((f) => <Tag key={f}>{f}</Tag>)}{check.volatile && <Tag color="orange">{t('formula.volatile')}</Tag>}</Space>} />
        : <Alert type="error" showIcon data-testid="formula-check" title={check.message} />)}
      {check?.ok && (
        <Card size="small" title={loaded ? t('formula.sampleOf', { name: loaded }) : t('formula.sample')}>
          <Space wrap align="end">
            {reads.map((f) => (
              <Space key={f.name} orientation="vertical" size={0}>
                <Typography.Text type="secondary">{label(f.label, f.name)}</Typography.Text>
                <ValueInput input={inputOf(f)} choices={f.type === 'picklist' ? f.options.map((o) => ({ value: o.value, label: label(o.label, o.value) })) : undefined}
                  sources={NO_SOURCES} value={sample[f.name] ?? ''} onChange={(v) => setSample({ ...sample, [f.name]: v === '' ? null : v })} />
              </Space>
            ))}
            <Button onClick={() => setSample({})}>{t('formula.clear')}</Button>
          </Space>
          <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }} data-testid="formula-preview">
            {t('formula.result')}: {preview && 'value' in preview ? <Typography.Text code>{preview.value === null ? t('formula.blank') : JSON.stringify(preview.value)}</Typography.Text> : <Typography.Text type="danger">{preview?.error}</Typography.Text>}
          </Typography.Paragraph>
        </Card>
      )}
    </Space>
  );
}
