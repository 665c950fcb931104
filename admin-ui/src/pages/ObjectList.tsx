import { Alert, Badge, Button, Space, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../draft';
import { countForObject, placeProblems } from '../pointers';
import { problemRoute } from '../placedProblems';
import type { ObjectDef } from '../types';
import { useLanguage } from '../useLanguage';

export default function ObjectList() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const { draft, problems } = useDraft();
  const objects = draft?.bundle.objects ?? [];
  const placed = placeProblems(problems ?? [], objects);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('objects.title')}</Typography.Title>
        <Button type="primary" onClick={() => navigate('/objects/new')} data-testid="new-object">{t('objects.new')}</Button>
      </Space>
      {placed.other.length > 0 && (
        <Alert type="error" title={t('draft.otherProblems')} description={<ul data-testid="other-problems">{placed.other.map((p, i) => {
          const to = draft ? problemRoute(p.pointer, draft.bundle) : null;
          return <li key={i}>{to ? <Link to={to}><code>{p.setting || '/'}</code></Link> : <code>{p.setting || '/'}</code>} {p.message}</li>;
        })}</ul>} />
      )}
      <Table<ObjectDef>
        rowKey="name"
        loading={!draft}
        dataSource={objects}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        size="middle"
        columns={[
          { title: t('objects.label'), key: 'label', render: (_, o) => <Link to={`/objects/${o.name}`}>{label(o.label, o.name)}</Link>, sorter: (a, b) => label(a.label).localeCompare(label(b.label)) },
          { title: t('objects.name'), dataIndex: 'name', render: (n: string) => <code>{n}</code> },
          { title: t('objects.fields'), key: 'fields', render: (_, o) => o.fields.length, align: 'right' },
          {
            title: t('objects.source'), key: 'source',
            filters: [...new Set(objects.map((o) => o.source ?? ''))].map((s) => ({ text: s || t('objects.custom'), value: s })),
            onFilter: (value, o) => (o.source ?? '') === value,
            render: (_, o) => (o.source ? <Tag color="blue">{o.source}</Tag> : <Tag color="purple">{t('objects.custom')}</Tag>),
          },
          {
            title: t('objects.problems'), key: 'problems',
            render: (_, o) => {
              const n = countForObject(placed, o.name);
              return n ? <Link to={`/objects/${o.name}`}><Badge count={n} data-testid={`problems-${o.name}`} /></Link> : null;
            },
          },
        ]}
      />
    </Space>
  );
}
