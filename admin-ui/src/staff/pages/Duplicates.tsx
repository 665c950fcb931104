/**
 * Possible duplicates of an object (`/app/o/:object/duplicates`): the groups the API finds under
 * the object's duplicate rule, each with its records side by side, and a way to merge them.
 */
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, Breadcrumb, Button, Card, Empty, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import type { DuplicateGroup } from '../dataOps';
import { duplicateGroups } from '../dataOps';
import { defaultColumns, fieldLabel, formatValue, recordName } from '../format';
import { fieldOrOwner } from '../components/FilterBar';

export default function Duplicates() {
  const { object: name = '' } = useParams();
  const { object } = useStaff();
  const { t } = useTranslation('staff');
  const def = object(name);
  if (!def) return <Result status="404" title={t('record.noObject')} />;
  return <GroupsOf key={name} def={def} />;
}

function GroupsOf({ def }: { def: ObjectDef }) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { can, nameOf } = useStaff();
  const navigate = useNavigate();
  const caps = can(def.name);
  const plural = label(def.pluralLabel ?? def.label, def.name);
  const [groups, setGroups] = useState<DuplicateGroup[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'noRule' | 'error'>('loading');
  const [error, setError] = useState('');

  const load = async (after: string | null) => {
    try {
      const page = await duplicateGroups(def.name, undefined, after);
      setGroups((g) => (after ? [...g, ...page.groups] : page.groups));
      setCursor(page.nextCursor);
      setState('ready');
    } catch (e) {
      if (e instanceof ApiError && e.problems.some((p) => p.code === 'unknownRule')) return setState('noRule');
      setError(e instanceof Error ? e.message : String(e));
      setState('error');
    }
  };
  useEffect(() => void load(null), [def.name]); // eslint-disable-line react-hooks/exhaustive-deps

  const fields = defaultColumns(def, 8);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to={`/app/o/${def.name}`}>{plural}</Link> }, { title: t('data.duplicates') }]} />
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="duplicates-title">{t('data.dupTitle', { objects: plural })}</Typography.Title>
      {state === 'loading' && <Spin />}
      {state === 'noRule' && <Alert type="info" showIcon title={t('data.noRule', { objects: plural })} />}
      {state === 'error' && <Alert type="error" showIcon title={error} />}
      {state === 'ready' && groups.length === 0 && <Empty description={t('data.noGroups')} />}
      {groups.map((g, i) => (
        <Card key={g.records.map((r) => r.id).join(',')} size="small" data-testid="duplicate-group"
          title={<Space>{g.score < 1 && <Tag color="orange">{t('data.similarity', { percent: Math.round(g.score * 100) })}</Tag>}</Space>}
          extra={caps.update && caps.delete ? <Button size="small" type="primary" data-testid={`merge-group-${i}`} onClick={() => navigate(`/app/o/${def.name}/merge?ids=${g.records.slice(0, 3).map((r) => r.id).join(',')}`)}>{t('data.mergeThese')}</Button> : null}>
          <Table
            size="small"
            pagination={false}
            rowKey="field"
            scroll={{ x: 'max-content' }}
            dataSource={fields.map((field) => ({ field }))}
            columns={[
              { key: 'field', title: '', render: (_, r) => <Typography.Text type="secondary">{fieldLabel(def, r.field, language)}</Typography.Text> },
              ...g.records.map((rec) => ({
                key: rec.id,
                title: <Link to={`/app/o/${def.name}/${rec.id}`}>{recordName(def, rec, language)}</Link>,
                render: (_: unknown, r: { field: string }) => formatValue(fieldOrOwner(def, r.field), rec[r.field], language, nameOf),
              })),
            ]}
          />
        </Card>
      ))}
      {cursor && <Button onClick={() => void load(cursor)}>{t('data.more')}</Button>}
    </Space>
  );
}
