/** The draft's rules by kind: validation, assignment (one ordered set per object), automation — with problem counts after Validate. */
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Badge, Button, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../../draft';
import { problemsUnder } from '../../editing';
import type { AutomationRuleDef, ValidationRuleDef } from '../../types';
import { useLanguage } from '../../useLanguage';

type Kind = 'validation' | 'assignment' | 'automation';

export default function Rules() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') as Kind | null) ?? 'validation';
  const { draft, problems } = useDraft();
  const [object, setObject] = useState<string | undefined>(params.get('object') ?? undefined);
  const bundle = draft?.bundle;
  const objects = bundle?.objects ?? [];
  const objectLabel = (name: string) => label(objects.find((o) => o.name === name)?.label, name);
  const count = (pointer: string) => problemsUnder(problems, pointer).length;
  const activeTag = (active: boolean | undefined) => (active === false ? <Tag>{t('rules.inactive')}</Tag> : <Tag color="green">{t('rules.active')}</Tag>);
  const byObject = <T extends { object: string }>(list: readonly T[]) => list.map((r, index) => ({ ...r, index })).filter((r) => !object || r.object === object);

  const validation = byObject(bundle?.validationRules ?? []);
  const automation = byObject(bundle?.automationRules ?? []);
  const assignment = byObject(bundle?.assignmentRules ?? []);
  const withoutSet = objects.filter((o) => !(bundle?.assignmentRules ?? []).some((s) => s.object === o.name));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('rules.title')}</Typography.Title>
        <Select allowClear showSearch optionFilterProp="label" placeholder={t('rules.allObjects')} style={{ width: 260 }} value={object} onChange={setObject}
          options={objects.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />
      </Space>
      <Tabs activeKey={kind} onChange={(k) => setParams({ kind: k })} items={[
        {
          key: 'validation', label: t('rules.kinds.validation'),
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Button type="primary" data-testid="new-validation-rule" onClick={() => navigate(`/rules/validation/new${object ? `?object=${object}` : ''}`)}>{t('rules.newValidation')}</Button>
              <Table<ValidationRuleDef & { index: number }> rowKey="name" size="small" loading={!draft} dataSource={validation} pagination={{ pageSize: 50, hideOnSinglePage: true }}
                columns={[
                  { title: t('rules.name'), dataIndex: 'name', render: (n: string) => <Link to={`/rules/validation/${n}`}><code>{n}</code></Link> },
                  { title: t('rules.object'), dataIndex: 'object', render: objectLabel },
                  { title: t('rules.message'), key: 'message', render: (_, r) => label(r.message) },
                  { title: t('rules.status'), key: 'active', render: (_, r) => activeTag(r.active) },
                  { title: t('objects.problems'), key: 'problems', render: (_, r) => <Badge count={count(`/validationRules/${r.index}`)} data-testid={`rule-problems-${r.name}`} /> },
                ]} />
            </Space>
          ),
        },
        {
          key: 'assignment', label: t('rules.kinds.assignment'),
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Select placeholder={t('rules.newAssignment')} style={{ width: 320 }} data-testid="new-assignment" showSearch optionFilterProp="label" value={null} onChange={(o: string) => navigate(`/rules/assignment/${o}`)}
                options={withoutSet.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />
              <Table rowKey="object" size="small" loading={!draft} dataSource={assignment} pagination={false}
                columns={[
                  { title: t('rules.object'), dataIndex: 'object', render: (o: string) => <Link to={`/rules/assignment/${o}`}>{objectLabel(o)}</Link> },
                  { title: t('rules.entries'), key: 'entries', render: (_, s) => s.entries.map((e) => <Tag key={e.name}>{e.name}</Tag>) },
                  { title: t('rules.status'), key: 'active', render: (_, s) => activeTag(s.active) },
                  { title: t('objects.problems'), key: 'problems', render: (_, s) => <Badge count={count(`/assignmentRules/${s.index}`)} /> },
                ]} />
            </Space>
          ),
        },
        {
          key: 'automation', label: t('rules.kinds.automation'),
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Button type="primary" onClick={() => navigate(`/rules/automation/new${object ? `?object=${object}` : ''}`)}>{t('rules.newAutomation')}</Button>
              <Table<AutomationRuleDef & { index: number }> rowKey="name" size="small" loading={!draft} dataSource={automation} pagination={{ pageSize: 50, hideOnSinglePage: true }}
                columns={[
                  { title: t('rules.name'), dataIndex: 'name', render: (n: string) => <Link to={`/rules/automation/${n}`}><code>{n}</code></Link> },
                  { title: t('rules.object'), dataIndex: 'object', render: objectLabel },
                  { title: t('rules.trigger'), key: 'trigger', render: (_, r) => <Tag>{t(`rules.on.${r.trigger.on}`)}</Tag> },
                  { title: t('rules.timing'), key: 'timing', render: (_, r) => t(`rules.timings.${r.timing ?? 'after'}`) },
                  { title: t('rules.actions'), key: 'actions', render: (_, r) => r.actions.map((a, i) => <Tag key={i}>{t(`rules.actionTypes.${a.type}`)}</Tag>) },
                  { title: t('rules.status'), key: 'active', render: (_, r) => activeTag(r.active) },
                  { title: t('objects.problems'), key: 'problems', render: (_, r) => <Badge count={count(`/automationRules/${r.index}`)} /> },
                ]} />
            </Space>
          ),
        },
      ]} />
    </Space>
  );
}
