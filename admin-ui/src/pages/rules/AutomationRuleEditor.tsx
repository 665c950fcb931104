/** One automation rule: trigger (events, changed fields, or a time before/after a date), timing, conditions, ordered actions; then its runs. */
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { Alert, Card, Checkbox, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../../draft';
import { EntryHeader, useDraftEntry } from '../../draftEntry';
import { below, statusAt } from '../../editing';
import { apiName } from '../../fieldSettings';
import { nameProblem } from '../../rules/ruleDrafts';
import { TRIGGERS, actionTypesFor, cleanRule, dateFields, newAutomationRule, triggerOf } from '../../rules/ruleDrafts';
import type { AutomationRuleDef, DurationDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { ActionsEditor } from './ActionsEditor';
import { ConditionBuilder } from './ConditionBuilder';
import { LabelsInput, OtherProblems, fieldOptions, useValueSources } from './common';
import { RuleRuns } from './RuleRuns';

const CLAIMED = ['name', 'object', 'active', 'description', 'trigger', 'conditions', 'timing', 'actions'];
const ROUTES = { list: '/rules?kind=automation', entry: (name: string) => `/rules/automation/${name}` };

export default function AutomationRuleEditor() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { name } = useParams();
  const [search] = useSearchParams();
  const isNew = name === 'new';
  const { draft } = useDraft();
  const rules = draft?.bundle.automationRules ?? [];
  const index = isNew ? -1 : rules.findIndex((r) => r.name === name);
  const entry = useDraftEntry('automationRules', index, ROUTES);
  const { placed } = entry;
  const [rule, setRule] = useState<AutomationRuleDef | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!draft || rule) return;
    if (isNew) setRule(newAutomationRule(search.get('object') ?? draft.bundle.objects[0]?.name ?? ''));
    else if (index >= 0) setRule(structuredClone(rules[index]!));
  }, [draft, rule, isNew, index, rules, search]);

  const object = draft?.bundle.objects.find((o) => o.name === rule?.object);
  const sources = useValueSources(object);
  if (!draft || !rule) return <Card loading>{!isNew && index < 0 && draft ? t('rules.notFound', { name }) : null}</Card>;
  const set = (patch: Partial<AutomationRuleDef>) => setRule({ ...rule, ...patch });
  const trigger = rule.trigger;
  const timing = rule.timing ?? 'after';

  const badName = nameProblem(rule.name, rules.map((r) => r.name), index);
  const submit = async () => {
    if (badName) return;
    await entry.save(cleanRule(rule), isNew ? undefined : name);
  };
  const offset = trigger.on === 'time' ? trigger.offset : null;
  const setOffset = (patch: Partial<DurationDef & { before?: boolean }>) => {
    if (trigger.on !== 'time') return;
    const next = { ...trigger.offset, ...patch };
    for (const k of Object.keys(next) as Array<keyof typeof next>) if (next[k] === undefined || next[k] === null || next[k] === false) delete next[k];
    set({ trigger: { ...trigger, offset: next } });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <EntryHeader title={isNew ? t('rules.newAutomation') : t('rules.automationTitle', { name: rule.name })} entry={entry} labels={{ back: t('rules.back'), delete: t('rules.delete') }}
        deleteConfirm={isNew ? null : { title: t('rules.deleteConfirm', { name: rule.name }) }} saveTestId="save-rule" onSave={() => void submit()} />
      <OtherProblems problems={placed} claimed={CLAIMED} />
      <Card size="small">
        <Form layout="vertical">
          <Row gutter={16}>
            <Col span={6}><Form.Item label={t('rules.object')} {...statusAt(placed, 'object')}>
              <Select showSearch optionFilterProp="label" value={rule.object} onChange={(o: string) => { set({ object: o, trigger: triggerOf(trigger.on, { on: 'created' }, draft.bundle.objects.find((x) => x.name === o)), actions: [] }); setGeneration((g) => g + 1); }}
                options={draft.bundle.objects.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />
            </Form.Item></Col>
            <Col span={6}><Form.Item label={t('rules.name')} {...(badName ? { validateStatus: 'error' as const, help: t(`rules.${badName}`) } : statusAt(placed, 'name'))}>
              <Input data-testid="rule-name" value={rule.name} onChange={(e) => set({ name: e.target.value })} onBlur={(e) => set({ name: apiName(e.target.value) || e.target.value })} />
            </Form.Item></Col>
            <Col span={8}><Form.Item label={t('rules.timing')} {...statusAt(placed, 'timing')} extra={t(`rules.timingHelp.${timing}`)}>
              <Radio.Group optionType="button" value={timing} onChange={(e) => set({ timing: e.target.value === 'after' ? undefined : 'before' })}
                options={[{ value: 'before', label: t('rules.timings.before') }, { value: 'after', label: t('rules.timings.after') }]} />
            </Form.Item></Col>
            <Col span={4}><Form.Item label={t('rules.active')}>
              <Switch checked={rule.active !== false} onChange={(v) => set({ active: v ? undefined : false })} />
            </Form.Item></Col>
          </Row>
          <Form.Item label={t('rules.description')} {...statusAt(placed, 'description')}>
            <LabelsInput value={rule.description} onChange={(description) => set({ description })} />
          </Form.Item>
        </Form>
      </Card>
      <Card size="small" title={t('rules.trigger')}>
        <Form layout="vertical">
          <Space wrap align="start">
            <Form.Item label={t('rules.when')} {...statusAt(placed, 'trigger/on')}>
              <Select style={{ width: 240 }} value={trigger.on} onChange={(on: (typeof TRIGGERS)[number]) => set({ trigger: triggerOf(on, trigger, object) })}
                options={TRIGGERS.map((on) => ({ value: on, label: t(`rules.on.${on}`) }))} />
            </Form.Item>
            {trigger.on !== 'time' && trigger.on !== 'deleted' && (
              <Form.Item label={t('rules.changedFields')} extra={t('rules.changedFieldsHelp')} {...statusAt(placed, 'trigger/fields')}>
                <Select mode="multiple" allowClear style={{ minWidth: 320 }} optionFilterProp="label" value={trigger.fields ?? []}
                  onChange={(fields: string[]) => set({ trigger: fields.length ? { on: trigger.on, fields } : { on: trigger.on } })} options={fieldOptions(object, label)} />
              </Form.Item>
            )}
            {trigger.on === 'time' && offset && (
              <>
                <Form.Item label={t('rules.amount')} {...statusAt(placed, 'trigger/offset')}>
                  <Space>
                    <InputNumber min={0} value={offset.days} onChange={(days) => setOffset({ days: days ?? undefined })} addonAfter={t('rules.days')} style={{ width: 130 }} />
                    <InputNumber min={0} value={offset.hours} onChange={(hours) => setOffset({ hours: hours ?? undefined })} addonAfter={t('rules.hours')} style={{ width: 130 }} />
                    <InputNumber min={0} value={offset.minutes} onChange={(minutes) => setOffset({ minutes: minutes ?? undefined })} addonAfter={t('rules.minutes')} style={{ width: 140 }} />
                  </Space>
                </Form.Item>
                <Form.Item label={t('rules.direction')}>
                  <Radio.Group optionType="button" value={offset.before ? 'before' : 'after'} onChange={(e) => setOffset({ before: e.target.value === 'before' || undefined })}
                    options={[{ value: 'before', label: t('rules.beforeDate') }, { value: 'after', label: t('rules.afterDate') }]} />
                </Form.Item>
                <Form.Item label={t('rules.dateField')} {...statusAt(placed, 'trigger/field')}>
                  <Select style={{ width: 240 }} value={trigger.field} onChange={(field: string) => set({ trigger: { ...trigger, field } })}
                    options={dateFields(object).map((f) => ({ value: f, label: f === 'created_at' || f === 'updated_at' ? t(`rules.facts.system.${f}`) : label(object?.fields.find((x) => x.name === f)?.label, f) }))} />
                </Form.Item>
                <Form.Item label={t('rules.business')} {...statusAt(placed, 'trigger/offset/business')} extra={t('rules.businessHelp')}>
                  <Checkbox checked={offset.business === true} onChange={(e) => setOffset({ business: e.target.checked || undefined })} />
                </Form.Item>
              </>
            )}
          </Space>
        </Form>
      </Card>
      <Card size="small" title={t('rules.onlyWhen')}>
        {object ? (
          <ConditionBuilder key={`${rule.object}-${generation}`} object={object} value={rule.conditions} sources={sources} problems={below(placed, 'conditions')}
            onChange={(conditions) => set({ conditions: conditions as AutomationRuleDef['conditions'] })} />
        ) : <Alert type="error" title={t('rules.pickObject')} />}
      </Card>
      <Card size="small" title={t('rules.actions')}>
        {object && <ActionsEditor key={`${rule.object}-${generation}`} actions={rule.actions} onChange={(actions) => set({ actions })} object={object} bundle={draft.bundle} sources={sources}
          types={actionTypesFor(rule.timing, draft.bundle, rule.object)} problems={below(placed, 'actions')} />}
      </Card>
      {!isNew && <RuleRuns rule={rule.name} />}
    </Space>
  );
}
