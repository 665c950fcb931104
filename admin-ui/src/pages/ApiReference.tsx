/**
 * The API reference, rendered from the caller's own GET /api/openapi.json with antd: every
 * route and every object the signed-in user may read, with the fields they may see. Objects'
 * typed paths are grouped per object; a search narrows everything to matching operations.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Collapse, Descriptions, Empty, Input, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { useLanguage } from '../useLanguage';
import { documentFileName, filterOperations, groupByTag, operationsOf, schemaRows } from '../openapiView';
import type { OpenApiDocument, Operation, Schema, SchemaRow } from '../openapiView';

const METHOD_COLOR: Record<string, string> = { GET: 'blue', POST: 'green', PUT: 'orange', PATCH: 'gold', DELETE: 'red' };

function SchemaTable({ doc, schema }: { doc: OpenApiDocument; schema: Schema }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const rows = useMemo(() => schemaRows(doc, schema), [doc, schema]);
  if (rows.length === 0) return <Typography.Text code>{String(schema.type ?? (schema.$ref as string | undefined)?.split('/').pop() ?? 'any')}</Typography.Text>;
  return (
    <Table<SchemaRow>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: t('apiRef.field'), dataIndex: 'name', render: (name: string, r) => <Space size={4}><Typography.Text code>{name}</Typography.Text>{r.required && <Tag color="red">{t('apiRef.required')}</Tag>}{r.readOnly && <Tag>{t('apiRef.readOnly')}</Tag>}</Space> },
        { title: t('apiRef.type'), dataIndex: 'type', render: (type: string) => <Typography.Text type="secondary">{type}</Typography.Text> },
        { title: t('apiRef.description'), key: 'description', render: (_: unknown, r) => <Space orientation="vertical" size={0}>{r.labels ? <span>{label(r.labels)}</span> : null}{r.description && r.description !== label(r.labels) ? <Typography.Text type="secondary">{r.description}</Typography.Text> : null}{r.constraints.map((c) => <Typography.Text key={c} type="secondary" style={{ fontSize: 12 }}>{c}</Typography.Text>)}</Space> },
      ]}
    />
  );
}

function OperationDetail({ doc, op }: { doc: OpenApiDocument; op: Operation }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid={`operation-${op.operationId}`}>
      {op.description && <Typography.Paragraph>{op.description}</Typography.Paragraph>}
      <Descriptions size="small" column={1} items={[
        { key: 'id', label: t('apiRef.operationId'), children: <Typography.Text code copyable>{op.operationId}</Typography.Text> },
        { key: 'auth', label: t('apiRef.auth'), children: op.isPublic ? t('apiRef.public') : t('apiRef.bearer') },
      ]} />
      {op.parameters.length > 0 && (
        <Table size="small" rowKey={(p) => `${p.in}:${p.name}`} pagination={false} dataSource={[...op.parameters]} title={() => t('apiRef.parameters')}
          columns={[
            { title: t('apiRef.field'), dataIndex: 'name', render: (name: string, p) => <Space size={4}><Typography.Text code>{name}</Typography.Text>{p.required && <Tag color="red">{t('apiRef.required')}</Tag>}</Space> },
            { title: t('apiRef.in'), dataIndex: 'in' },
            { title: t('apiRef.type'), key: 'type', render: (_: unknown, p) => String(p.schema.type ?? '') },
            { title: t('apiRef.description'), dataIndex: 'description' },
          ]} />
      )}
      {op.requestBody && (
        <div>
          <Typography.Title level={5}>{t('apiRef.requestBody')} <Typography.Text type="secondary">{op.requestBody.mediaType}</Typography.Text></Typography.Title>
          <SchemaTable doc={doc} schema={op.requestBody.schema} />
        </div>
      )}
      <div>
        <Typography.Title level={5}>{t('apiRef.responses')}</Typography.Title>
        <Collapse size="small" destroyOnHidden items={op.responses.map((r) => ({
          key: r.status,
          label: <Space><Tag color={r.status.startsWith('2') ? 'green' : 'volcano'}>{r.status}</Tag><span>{r.description}</span>{r.mediaType && <Typography.Text type="secondary">{r.mediaType}</Typography.Text>}</Space>,
          children: r.schema ? <SchemaTable doc={doc} schema={r.schema} /> : <Typography.Text type="secondary">{t('apiRef.noBody')}</Typography.Text>,
        }))} />
      </div>
    </Space>
  );
}

export function ApiReference() {
  const { t } = useTranslation();
  const [doc, setDoc] = useState<OpenApiDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  useEffect(() => {
    api<OpenApiDocument>('/api/openapi.json').then(({ data }) => setDoc(data), (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  }, []);
  const groups = useMemo(() => (doc ? groupByTag(doc, filterOperations(operationsOf(doc), query)) : []), [doc, query]);
  if (error) return <Alert type="error" title={error} />;
  if (!doc) return <Spin />;
  const download = () => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: documentFileName(doc) });
    a.click();
    URL.revokeObjectURL(url);
  };
  const operationCount = groups.reduce((n, g) => n + g.operations.length, 0);
  return (
    <Card size="small" title={<Space><span data-testid="api-title">{doc.info.title}</span><Tag>{doc.info.version}</Tag><Tag color="purple">OpenAPI {doc.openapi}</Tag></Space>}
      extra={<Button onClick={download}>{t('apiRef.download')}</Button>}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {doc.info.description && <Typography.Paragraph type="secondary" data-testid="api-description">{doc.info.description}</Typography.Paragraph>}
        <Input.Search allowClear placeholder={t('apiRef.search')} onChange={(e) => setQuery(e.target.value)} data-testid="api-search" />
        <Typography.Text type="secondary" data-testid="api-count">{t('apiRef.count', { count: operationCount })}</Typography.Text>
        {groups.length === 0 ? <Empty /> : (
          <Collapse data-testid="api-operations" destroyOnHidden defaultActiveKey={query ? groups.map((g) => g.name) : []} key={query ? 'search' : 'all'} items={groups.map((g) => ({
            key: g.name,
            label: <Space><Typography.Text strong>{g.object ? g.description : g.name}</Typography.Text>{g.object && <Typography.Text code>{g.object}</Typography.Text>}<Tag>{g.operations.length}</Tag></Space>,
            children: (
              <Collapse size="small" destroyOnHidden items={g.operations.map((op) => ({
                key: op.key,
                label: <Space><Tag color={METHOD_COLOR[op.method]} style={{ width: 64, textAlign: 'center' }}>{op.method}</Tag><Typography.Text code>{op.path}</Typography.Text><span>{op.summary}</span></Space>,
                children: <OperationDetail doc={doc} op={op} />,
              }))} />
            ),
          }))} />
        )}
      </Space>
    </Card>
  );
}
