/** Published versions, the differences between any two, and rollback. */
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Col, Empty, List, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { useDraft } from '../draft';

interface VersionInfo { version: number; publishedAt: string; publishedBy: string; kind: 'publish' | 'rollback'; note?: string; rolledBackTo?: number }
interface Change { op: 'add' | 'remove' | 'change'; path: string; before?: unknown; after?: unknown }

const OP_COLOR = { add: 'green', remove: 'red', change: 'blue' } as const;

export default function Versions() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { reload: reloadDraft } = useDraft();
  const [versions, setVersions] = useState<VersionInfo[] | null>(null);
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [changes, setChanges] = useState<Change[] | null>(null);

  const load = useCallback(async () => {
    const { data } = await api<{ items: VersionInfo[] }>('/api/metadata/versions');
    setVersions(data.items);
    const [head, previous] = data.items;
    if (head) setRange((r) => r ?? { from: String(previous?.version ?? head.version), to: String(head.version) });
  }, []);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (!range) return;
    setChanges(null);
    api<{ changes: Change[] }>(`/api/metadata/diff?from=${range.from}&to=${range.to}`).then(({ data }) => setChanges(data.changes), (e: Error) => message.error(e.message));
  }, [range, message]);

  const rollback = async (version: number) => {
    try {
      const { data } = await api<{ version: number }>('/api/metadata/rollback', { method: 'POST', body: { version } });
      message.success(t('versions.rolledBack', { version: data.version }));
      setRange(null);
      await Promise.all([load(), reloadDraft()]);
    } catch (error) {
      message.error(t('common.error', { message: error instanceof ApiError ? error.message : String(error) }));
    }
  };

  const choices = [
    ...(versions ?? []).map((v) => ({ value: String(v.version), label: `v${v.version}` })),
    { value: 'draft', label: t('versions.draft') },
  ];
  return (
    <Row gutter={16}>
      <Col span={11}>
        <Card title={t('versions.title')} size="small">
          <Table<VersionInfo> size="small" rowKey="version" loading={!versions} dataSource={versions ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }}
            onRow={(v) => ({ onClick: () => setRange({ from: String(Math.max(1, v.version - 1)), to: String(v.version) }), style: { cursor: 'pointer' }, 'data-testid': `version-${v.version}` } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: t('versions.version'), dataIndex: 'version', render: (n: number, v) => <Space>v{n}{v.version === versions?.[0]?.version && <Tag color="green">{t('versions.head')}</Tag>}</Space> },
              { title: t('versions.publishedAt'), dataIndex: 'publishedAt', render: (d: string) => new Date(d).toLocaleString() },
              { title: t('versions.kind'), key: 'kind', render: (_, v) => (v.kind === 'rollback' ? <Tag>↩ v{v.rolledBackTo}</Tag> : <Tag>{t('versions.kinds.publish')}</Tag>) },
              { title: t('versions.note'), dataIndex: 'note' },
              {
                key: 'rollback',
                render: (_, v) => v.version !== versions?.[0]?.version && (
                  <Popconfirm title={t('versions.rollbackConfirm', { version: v.version })} onConfirm={() => rollback(v.version)}>
                    <Button size="small" onClick={(e) => e.stopPropagation()}>{t('versions.rollback')}</Button>
                  </Popconfirm>
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col span={13}>
        <Card size="small" title={t('versions.diff')} extra={range && (
          <Space>
            {t('versions.from')}<Select size="small" style={{ width: 100 }} value={range.from} options={choices} onChange={(from) => setRange({ ...range, from })} />
            {t('versions.to')}<Select size="small" style={{ width: 100 }} value={range.to} options={choices} onChange={(to) => setRange({ ...range, to })} />
          </Space>
        )}>
          {changes === null ? <Card loading bordered={false} /> : changes.length === 0 ? <Empty description={t('versions.noChanges')} /> : (
            <List size="small" dataSource={changes} data-testid="diff"
              renderItem={(c) => (
                <List.Item>
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    <Space><Tag color={OP_COLOR[c.op]}>{t(`versions.${c.op}`)}</Tag><Typography.Text code>{c.path}</Typography.Text></Space>
                    {c.op === 'change' && typeof c.before !== 'object' && typeof c.after !== 'object' ? (
                      <span><Typography.Text delete type="secondary">{String(c.before)}</Typography.Text> → <Typography.Text>{String(c.after)}</Typography.Text></span>
                    ) : (
                      <details><summary>{c.op === 'remove' ? t('versions.before') : t('versions.after')}</summary>
                        <pre style={{ maxHeight: 240, overflow: 'auto', fontSize: 12 }}>{JSON.stringify(c.op === 'remove' ? c.before : c.after ?? c.before, null, 2)}</pre>
                      </details>
                    )}
                  </Space>
                </List.Item>
              )} />
          )}
        </Card>
      </Col>
    </Row>
  );
}
