/** An object's assignment rules: ordered entries (first match wins), each with conditions and an assignee; then the runs. */
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Button, Card, Form, Input, Popconfirm, Space, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../../draft';
import { below, problemsUnder, statusAt, useSaveDraft } from '../../editing';
import type { AssignmentEntryDef, AssignmentRuleSetDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { SortableList } from '../SortableList';
import { AssigneeEditor } from './AssigneeEditor';
import { ConditionBuilder } from './ConditionBuilder';
import { OtherProblems, useValueSources } from './common';
import { RuleRuns } from './RuleRuns';

const CLAIMED = ['object', 'active', 'onCreate', 'entries'];

export default function AssignmentRulesEditor() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const { object: objectName = '' } = useParams();
  const { draft, problems } = useDraft();
  const save = useSaveDraft();
  const sets = draft?.bundle.assignmentRules ?? [];
  const index = sets.findIndex((s) => s.object === objectName);
  const [set, setSet] = useState<AssignmentRuleSetDef | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!draft || set) return;
    setSet(index >= 0 ? structuredClone(sets[index]!) : { object: objectName, entries: [] });
  }, [draft, set, index, sets, objectName]);
  const object = draft?.bundle.objects.find((o) => o.name === objectName);
  const sources = useValueSources(object);
  const placed = useMemo(() => (index >= 0 ? problemsUnder(problems, `/assignmentRules/${index}`) : []), [problems, index]);
  if (!draft || !set) return <Card loading />;
  if (!object) return <Alert type="error" title={t('rules.notFound', { name: objectName })} />;
  const update = (patch: Partial<AssignmentRuleSetDef>) => setSet({ ...set, ...patch });
  const setEntry = (i: number, entry: AssignmentEntryDef) => update({ entries: set.entries.map((e, j) => (j === i ? entry : e)) });
  const entryProblems = below(placed, 'entries');

  const submit = async () => {
    setSaving(true);
    await save((bundle) => {
      const list = [...(bundle.assignmentRules ?? [])];
      if (index >= 0) list[index] = set;
      else list.push(set);
      return { ...bundle, assignmentRules: list };
    });
    setSaving(false);
  };
  const remove = async () => {
    if (await save((bundle) => ({ ...bundle, assignmentRules: (bundle.assignmentRules ?? []).filter((_, i) => i !== index) }))) navigate('/rules?kind=assignment');
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('rules.assignmentTitle', { object: label(object.label, object.name) })}</Typography.Title>
        <Space>
          <Button onClick={() => navigate('/rules?kind=assignment')}>{t('rules.back')}</Button>
          {index >= 0 && <Popconfirm title={t('rules.deleteConfirm', { name: object.name })} onConfirm={() => void remove()}><Button danger>{t('rules.delete')}</Button></Popconfirm>}
          <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="save-rule">{t('editor.save')}</Button>
        </Space>
      </Space>
      <OtherProblems problems={placed} claimed={CLAIMED} />
      <Card size="small">
        <Space size="large">
          <span>{t('rules.active')} <Switch checked={set.active !== false} onChange={(v) => update({ active: v ? undefined : false })} /></span>
          <span>{t('rules.onCreate')} <Switch checked={set.onCreate !== false} onChange={(v) => update({ onCreate: v ? undefined : false })} /></span>
          <Typography.Text type="secondary">{t('rules.firstMatchWins')}</Typography.Text>
        </Space>
      </Card>
      <SortableList items={set.entries} onChange={(entries) => update({ entries })} testId="assignment-entries" render={(entry, i, handle, removeEntry) => {
        const mine = below(entryProblems, String(i));
        return (
          <Card size="small" data-testid={`entry-${i}`} title={<Space>{handle}<Tag>{i + 1}</Tag>
            <Form.Item style={{ margin: 0 }} {...statusAt(mine, 'name')}>
              <Input style={{ width: 240 }} value={entry.name} placeholder={t('rules.name')} onChange={(e) => setEntry(i, { ...entry, name: e.target.value })} data-testid={`entry-${i}-name`} />
            </Form.Item>
          </Space>} extra={<Button size="small" type="text" danger onClick={removeEntry}>{t('editor.remove')}</Button>}>
            <Form layout="vertical">
              <Form.Item label={t('rules.entryWhen')} extra={t('rules.entryWhenHelp')}>
                <ConditionBuilder object={object} value={entry.conditions} sources={sources} problems={below(mine, 'conditions')}
                  onChange={(conditions) => { const { conditions: _c, ...rest } = entry; setEntry(i, conditions === undefined ? rest : { ...rest, conditions: conditions as Record<string, unknown> }); }} />
              </Form.Item>
              <Form.Item label={t('rules.assignTo')}>
                <AssigneeEditor value={entry.assignee} onChange={(assignee) => setEntry(i, { ...entry, assignee })} object={object} sources={sources} problems={below(mine, 'assignee')} testId={`entry-${i}-assignee`} />
              </Form.Item>
            </Form>
          </Card>
        );
      }} />
      <Button data-testid="add-entry" onClick={() => update({ entries: [...set.entries, { name: `entry_${set.entries.length + 1}`, assignee: { type: 'roundRobin', role: '' } }] })}>{t('rules.addEntry')}</Button>
      {index >= 0 && <RuleRuns rule={`assignment:${object.name}`} />}
    </Space>
  );
}
