/** One validation rule: the condition that blocks a save, its message and the field it belongs to, who may bypass it. */
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert, Button, Card, Col, Form, Input, Popconfirm, Row, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../../draft';
import { below, problemsUnder, statusAt, useSaveDraft } from '../../editing';
import type { ValidationRuleDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { apiName } from '../../fieldSettings';
import { nameProblem } from '../../rules/ruleDrafts';
import { ConditionBuilder } from './ConditionBuilder';
import { LabelsInput, OtherProblems, fieldOptions, useValueSources } from './common';

const CLAIMED = ['name', 'object', 'active', 'description', 'conditions', 'message', 'field', 'bypassRoles'];

export default function ValidationRuleEditor() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const { name } = useParams();
  const [search] = useSearchParams();
  const isNew = name === 'new';
  const { draft, problems } = useDraft();
  const save = useSaveDraft();
  const rules = draft?.bundle.validationRules ?? [];
  const index = isNew ? -1 : rules.findIndex((r) => r.name === name);
  const [rule, setRule] = useState<ValidationRuleDef | null>(null);
  const [generation, setGeneration] = useState(0);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!draft || rule) return;
    if (isNew) setRule({ name: '', object: search.get('object') ?? draft.bundle.objects[0]?.name ?? '', conditions: { all: [] }, message: { en: '' } });
    else if (index >= 0) setRule(structuredClone(rules[index]!));
  }, [draft, rule, isNew, index, rules, search]);

  const object = draft?.bundle.objects.find((o) => o.name === rule?.object);
  const sources = useValueSources(object);
  const placed = useMemo(() => (index >= 0 ? problemsUnder(problems, `/validationRules/${index}`) : []), [problems, index]);
  if (!draft || !rule) return <Card loading>{!isNew && index < 0 && draft ? t('rules.notFound', { name }) : null}</Card>;
  const set = (patch: Partial<ValidationRuleDef>) => setRule({ ...rule, ...patch });
  const emptyCondition = JSON.stringify(rule.conditions) === '{"all":[]}' || JSON.stringify(rule.conditions) === '{"any":[]}';

  const badName = nameProblem(rule.name, rules.map((r) => r.name), index);
  const submit = async () => {
    if (badName) return;
    setSaving(true);
    const clean: ValidationRuleDef = { ...rule };
    if (!clean.field) delete clean.field;
    if (!clean.bypassRoles?.length) delete clean.bypassRoles;
    if (clean.description && !Object.keys(clean.description).length) delete clean.description;
    const saved = await save((bundle) => {
      const list = [...(bundle.validationRules ?? [])];
      if (index >= 0) list[index] = clean;
      else list.push(clean);
      return { ...bundle, validationRules: list };
    });
    setSaving(false);
    if (saved && clean.name !== name) navigate(`/rules/validation/${clean.name}`, { replace: true });
  };
  const remove = async () => {
    if (await save((bundle) => ({ ...bundle, validationRules: (bundle.validationRules ?? []).filter((_, i) => i !== index) }))) navigate('/rules?kind=validation');
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{isNew ? t('rules.newValidation') : t('rules.validationTitle', { name: rule.name })}</Typography.Title>
        <Space>
          <Button onClick={() => navigate('/rules?kind=validation')}>{t('rules.back')}</Button>
          {!isNew && <Popconfirm title={t('rules.deleteConfirm', { name: rule.name })} onConfirm={() => void remove()}><Button danger>{t('rules.delete')}</Button></Popconfirm>}
          <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="save-rule">{t('editor.save')}</Button>
        </Space>
      </Space>
      <OtherProblems problems={placed} claimed={CLAIMED} />
      <Card size="small">
        <Form layout="vertical">
          <Row gutter={16}>
            <Col span={6}><Form.Item label={t('rules.object')} {...statusAt(placed, 'object')}>
              <Select data-testid="rule-object" showSearch optionFilterProp="label" value={rule.object} onChange={(o: string) => { set({ object: o, field: undefined }); setGeneration((g) => g + 1); }}
                options={draft.bundle.objects.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />
            </Form.Item></Col>
            <Col span={6}><Form.Item label={t('rules.name')} {...(badName ? { validateStatus: 'error' as const, help: t(`rules.${badName}`) } : statusAt(placed, 'name'))}>
              <Input data-testid="rule-name" value={rule.name} onChange={(e) => set({ name: e.target.value })} onBlur={(e) => set({ name: apiName(e.target.value) || e.target.value })} />
            </Form.Item></Col>
            <Col span={6}><Form.Item label={t('rules.field')} {...statusAt(placed, 'field')} extra={t('rules.fieldHelp')}>
              <Select data-testid="rule-field" allowClear showSearch optionFilterProp="label" value={rule.field} onChange={(f?: string) => set({ field: f })} options={fieldOptions(object, label)} />
            </Form.Item></Col>
            <Col span={6}><Form.Item label={t('rules.active')} {...statusAt(placed, 'active')}>
              <Switch checked={rule.active !== false} onChange={(v) => set({ active: v ? undefined : false })} />
            </Form.Item></Col>
          </Row>
          <Form.Item label={t('rules.message')} {...statusAt(placed, 'message')} extra={t('rules.messageHelp')}>
            <LabelsInput testId="rule-message" value={rule.message} onChange={(message) => set({ message })} />
          </Form.Item>
          <Form.Item label={t('rules.description')} {...statusAt(placed, 'description')}>
            <LabelsInput value={rule.description} onChange={(description) => set({ description })} />
          </Form.Item>
          <Form.Item label={t('rules.bypassRoles')} {...statusAt(placed, 'bypassRoles')} extra={t('rules.bypassHelp')}>
            <Select mode="multiple" allowClear value={rule.bypassRoles ?? []} onChange={(bypassRoles: string[]) => set({ bypassRoles })} options={sources.roles.map((r) => ({ value: r.value, label: r.label }))} />
          </Form.Item>
        </Form>
      </Card>
      <Card size="small" title={t('rules.blocksWhen')}>
        {emptyCondition && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title={t('rules.emptyBlocksAll')} />}
        {object ? (
          <ConditionBuilder key={`${rule.object}-${generation}`} testId="rule-conditions" object={object} value={rule.conditions} sources={sources}
            problems={below(placed, 'conditions')} onChange={(conditions) => set({ conditions: (conditions ?? { all: [] }) as ValidationRuleDef['conditions'] })} />
        ) : <Alert type="error" title={t('rules.pickObject')} />}
      </Card>
    </Space>
  );
}
