/** One validation rule: the condition that blocks a save, its message and the field it belongs to, who may bypass it. */
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { Alert, Card, Col, Form, Input, Row, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../../draft';
import { EntryHeader, useDraftEntry } from '../../draftEntry';
import { below, statusAt } from '../../editing';
import type { ValidationRuleDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { apiName } from '../../fieldSettings';
import { nameProblem } from '../../rules/ruleDrafts';
import { ConditionBuilder } from './ConditionBuilder';
import { LabelsInput, OtherProblems, fieldOptions, useValueSources } from './common';

const CLAIMED = ['name', 'object', 'active', 'description', 'conditions', 'message', 'field', 'bypassRoles'];
const ROUTES = { list: '/rules?kind=validation', entry: (name: string) => `/rules/validation/${name}` };

export default function ValidationRuleEditor() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { name } = useParams();
  const [search] = useSearchParams();
  const isNew = name === 'new';
  const { draft } = useDraft();
  const rules = draft?.bundle.validationRules ?? [];
  const index = isNew ? -1 : rules.findIndex((r) => r.name === name);
  const entry = useDraftEntry('validationRules', index, ROUTES);
  const { placed } = entry;
  const [rule, setRule] = useState<ValidationRuleDef | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!draft || rule) return;
    if (isNew) setRule({ name: '', object: search.get('object') ?? draft.bundle.objects[0]?.name ?? '', conditions: { all: [] }, message: { en: '' } });
    else if (index >= 0) setRule(structuredClone(rules[index]!));
  }, [draft, rule, isNew, index, rules, search]);

  const object = draft?.bundle.objects.find((o) => o.name === rule?.object);
  const sources = useValueSources(object);
  if (!draft || !rule) return <Card loading>{!isNew && index < 0 && draft ? t('rules.notFound', { name }) : null}</Card>;
  const set = (patch: Partial<ValidationRuleDef>) => setRule({ ...rule, ...patch });
  const emptyCondition = JSON.stringify(rule.conditions) === '{"all":[]}' || JSON.stringify(rule.conditions) === '{"any":[]}';

  const badName = nameProblem(rule.name, rules.map((r) => r.name), index);
  const submit = async () => {
    if (badName) return;
    const clean: ValidationRuleDef = { ...rule };
    if (!clean.field) delete clean.field;
    if (!clean.bypassRoles?.length) delete clean.bypassRoles;
    if (clean.description && !Object.keys(clean.description).length) delete clean.description;
    await entry.save(clean, isNew ? undefined : name);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <EntryHeader title={isNew ? t('rules.newValidation') : t('rules.validationTitle', { name: rule.name })} entry={entry} labels={{ back: t('rules.back'), delete: t('rules.delete') }}
        deleteConfirm={isNew ? null : { title: t('rules.deleteConfirm', { name: rule.name }) }} saveTestId="save-rule" onSave={() => void submit()} />
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
