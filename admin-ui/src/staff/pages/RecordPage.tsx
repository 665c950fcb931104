/**
 * A record: its fields in the layout (read-only and hidden as the API's schema says), an edit
 * form with live field logic, related lists, the history timeline (field changes and rule
 * runs), reassign / take, and workflow transitions once the workflow API serves them.
 */
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Breadcrumb, Button, Card, Col, Descriptions, Empty, Grid, Popconfirm, Result, Row, Skeleton, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import type { FieldDef, ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import type { RecordSchema } from '../formModel';
import { formSections } from '../formLayout';
import { fieldLabel, formatDateTime, formatValue, optionColor, recordName } from '../format';
import type { ApiRecord, RuleRun } from '../staffApi';
import { deleteRecord, getRecord, patchRecord, recordAction, recordHistory, recordRuns, relatedRecords } from '../staffApi';
import { relationsOf, timeline } from '../timeline';
import type { Relation, TimelineEvent } from '../timeline';
import { useRecordSchema } from '../useRecordSchema';

// The edit form (with the browser's ajv validator) loads when the user edits, not with the page.
const RecordForm = lazy(() => import('../components/RecordForm').then((m) => ({ default: m.RecordForm })));
import { Approval, Transitions } from '../workflow';
import { ConvertDialog } from '../components/ConvertDialog';

export default function RecordPage() {
  const { object: name = '', id = '' } = useParams();
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { object, can, nameOf, rememberNames, users, conversion: conversionOf } = useStaff();
  const def = object(name);
  const [record, setRecord] = useState<ApiRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [historyKey, setHistoryKey] = useState(0);
  const [converting, setConverting] = useState(false);
  const recordType = typeof record?.record_type === 'string' ? record.record_type : null;
  const { schema } = useRecordSchema(name, record ? recordType : undefined);
  const caps = can(name);

  const load = useCallback(() => {
    getRecord(name, id).then(
      (r) => {
        setRecord(r);
        rememberNames(name, [r]);
      },
      setError,
    );
  }, [name, id, rememberNames]);
  useEffect(() => {
    setRecord(null);
    setError(null);
    setEditing(false);
    load();
  }, [load]);

  const saved = (r: ApiRecord) => {
    setRecord(r);
    rememberNames(name, [r]);
    setHistoryKey((k) => k + 1);
  };

  if (!def) return <Result status="404" title={t('record.noObject')} />;
  if (error) return <Result status={error instanceof ApiError && error.status === 404 ? '404' : 'error'} title={error instanceof ApiError && error.status === 404 ? t('record.notFound') : String((error as Error).message)} extra={<Link to={`/app/o/${name}`}>{t('record.backToList')}</Link>} />;
  if (!record || !schema) return <Skeleton active />;

  const act = async (action: 'reassign' | 'take') => {
    setBusy(action);
    try {
      saved(await recordAction(name, id, action, record.version));
      message.success(t(`record.${action}Done`));
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
      if (e instanceof ApiError && e.status === 412) load();
    } finally {
      setBusy(null);
    }
  };
  const conversion = conversionOf(name);
  const converted = conversion !== undefined && record[conversion.status.field] === conversion.status.value;
  const remove = async () => {
    try {
      await deleteRecord(name, id, record.version);
      message.success(t('record.deleted'));
      navigate(`/app/o/${name}`);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to={`/app/o/${name}`}>{label(def.pluralLabel ?? def.label, name)}</Link> }, { title: recordName(def, record, language) }]} />
      <Row justify="space-between" align="middle" gutter={[8, 8]}>
        <Col>
          <Space wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="record-title">{recordName(def, record, language)}</Typography.Title>
            <Tag>{label(def.label, name)}</Tag>
            {record.owner && <Tag color="blue" data-testid="record-owner">{t('record.owner')}: {nameOf('user', record.owner) ?? record.owner}</Tag>}
          </Space>
        </Col>
        <Col>
          <Space wrap>
            <Transitions object={def} record={record} onChanged={saved} />
            {conversion && !converted && caps.update && !editing && <Button type="primary" onClick={() => setConverting(true)} data-testid="convert-record">{t('convert.button')}</Button>}
            {caps.update && !editing && !converted && <Button type={conversion ? 'default' : 'primary'} onClick={() => setEditing(true)} data-testid="edit-record">{t('common.edit')}</Button>}
            {caps.take && record.owner && !users.some((u) => u.id === record.owner) && <Button loading={busy === 'take'} onClick={() => void act('take')} data-testid="take-record">{t('record.take')}</Button>}
            {caps.reassign && <Button loading={busy === 'reassign'} onClick={() => void act('reassign')} data-testid="reassign-record">{t('record.reassign')}</Button>}
            {caps.delete && (
              <Popconfirm title={t('record.deleteConfirm')} onConfirm={() => void remove()}>
                <Button danger>{t('common.delete')}</Button>
              </Popconfirm>
            )}
          </Space>
        </Col>
      </Row>
      {conversion && converted && <Converted conversion={conversion} record={record} />}
      {conversion && converting && <ConvertDialog source={def} conversion={conversion} record={record} open onClose={() => setConverting(false)} onConverted={(answer) => { setConverting(false); saved(answer.source); message.success(t('convert.done')); }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          {editing ? (
            <Suspense fallback={<Skeleton active />}>
            <RecordForm
              object={def}
              schema={schema}
              before={record}
              submit={(payload) => patchRecord(name, id, record.version, payload)}
              onSaved={(r) => {
                saved(r);
                setEditing(false);
                message.success(t('record.saved'));
              }}
              onCancel={() => setEditing(false)}
            />
            </Suspense>
          ) : (
            <Details object={def} schema={schema} record={record} />
          )}
          <RelatedLists object={def} schema={schema} record={record} />
        </Col>
        <Col xs={24} xl={8}>
          <Approval object={def} record={record} onChanged={() => { load(); setHistoryKey((k) => k + 1); }} />
          <History key={historyKey} object={def} id={id} />
        </Col>
      </Row>
    </Space>
  );
}

/** A converted record says so, and links to what it became; it is read-only. */
function Converted({ conversion, record }: { conversion: NonNullable<ReturnType<ReturnType<typeof useStaff>['conversion']>>; record: ApiRecord }) {
  const { t } = useTranslation('staff');
  const { label } = useLanguage();
  const { object, nameOf } = useStaff();
  const links = (['account', 'contact', 'opportunity'] as const).flatMap((role) => {
    const target = conversion[role];
    const id = target ? record[target.link] : undefined;
    const def = target ? object(target.object) : undefined;
    return typeof id === 'string' && def ? [{ role, id, def }] : [];
  });
  return (
    <Alert type="success" showIcon data-testid="record-converted" title={t('convert.converted')}
      description={<Space wrap>{links.map((l) => <span key={l.role}>{label(l.def.label, l.def.name)}: <Link to={`/app/o/${l.def.name}/${l.id}`} data-testid={`converted-${l.role}`}>{nameOf(l.def.name, l.id) ?? l.id}</Link></span>)}</Space>} />
  );
}

function Details({ object, schema, record }: { object: ObjectDef; schema: RecordSchema; record: ApiRecord }) {
  const { language, label } = useLanguage();
  const { nameOf } = useStaff();
  const screens = Grid.useBreakpoint();
  const defs = new Map(object.fields.map((f) => [f.name, f] as const));
  const sections = formSections(schema, object.fields.map((f) => f.name));
  const show = (name: string) => {
    const f = defs.get(name);
    if (!f || !(name in schema.properties)) return null;
    return {
      key: name,
      label: label(f.label, name),
      children: <span data-testid={`value-${name}`}><Value field={f} value={record[name]} /></span>,
      span: f.type === 'textarea' ? ('filled' as const) : 1,
    };
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="record-details">
      {sections.map((s, i) => (
        <Card key={i} size="small" title={s.label ? label(s.label) : undefined}>
          <Descriptions
            size="small"
            column={screens.md === false ? 1 : s.grid ? 2 : s.columns.length}
            items={(s.grid ? s.columns[0]! : interleave(s.columns)).map(show).filter((x) => x !== null)}
          />
        </Card>
      ))}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        v{record.version} · {formatDateTime(String(record.updated_at ?? record.created_at ?? ''), language)} · {nameOf('user', String(record.updated_by ?? '')) ?? ''}
      </Typography.Text>
    </Space>
  );
}

/** Layout columns read row by row, as Descriptions fills its grid. */
function interleave(columns: string[][]): string[] {
  const out: string[] = [];
  const rows = Math.max(...columns.map((c) => c.length));
  for (let r = 0; r < rows; r++) for (const c of columns) if (c[r]) out.push(c[r]!);
  return out;
}

export function Value({ field, value }: { field: FieldDef; value: unknown }) {
  const { language } = useLanguage();
  const { nameOf } = useStaff();
  const text = formatValue(field, value, language, nameOf);
  if (!text) return <Typography.Text type="secondary">—</Typography.Text>;
  if (field.type === 'picklist') return <Tag color={optionColor(field, value)}>{text}</Tag>;
  if (field.type === 'lookup' && typeof value === 'string') return <Link to={`/app/o/${field.target}/${value}`}>{text}</Link>;
  if (field.type === 'url' && typeof value === 'string') return <a href={value} target="_blank" rel="noreferrer noopener">{text}</a>;
  if (field.type === 'email') return <a href={`mailto:${text}`}>{text}</a>;
  if (field.type === 'phone' && !text.includes('*')) return <a href={`tel:${text.replace(/\s/g, '')}`}>{text}</a>;
  return <>{text}</>;
}

function RelatedLists({ object, schema, record }: { object: ObjectDef; schema: RecordSchema; record: ApiRecord }) {
  const { objects } = useStaff();
  const relations = useMemo(() => relationsOf(object.name, objects, schema['x-layout']?.relatedLists), [object.name, objects, schema]);
  if (!relations.length) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%', marginTop: 16 }} data-testid="related-lists">
      {relations.map((r) => <RelatedList key={r.relation} parent={object} relation={r} record={record} />)}
    </Space>
  );
}

function RelatedList({ parent, relation, record }: { parent: ObjectDef; relation: Relation; record: ApiRecord }) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { object, can, nameOf, rememberNames } = useStaff();
  const def = object(relation.object)!;
  const [page, setPage] = useState<{ items: ApiRecord[]; nextCursor: string | null } | null>(null);
  const [failed, setFailed] = useState(false);
  const more = async (cursor: string | null) => {
    try {
      const p = await relatedRecords(parent.name, record.id, relation.relation, cursor);
      rememberNames(def.name, p.items);
      setPage((prev) => ({ items: [...(cursor ? (prev?.items ?? []) : []), ...p.items], nextCursor: p.nextCursor }));
    } catch {
      setFailed(true);
    }
  };
  useEffect(() => void more(null), [record.id, relation.relation]); // eslint-disable-line react-hooks/exhaustive-deps
  const columns = (relation.columns ?? [def.nameField, ...def.fields.filter((f) => f.name !== def.nameField && f.name !== relation.field && ['picklist', 'date', 'currency', 'user'].includes(f.type)).slice(0, 2).map((f) => f.name)]).filter((c) => def.fields.some((f) => f.name === c));
  const viaLabel = def.fields.find((f) => f.name === relation.field);
  const title = `${label(def.pluralLabel ?? def.label, def.name)}${def.fields.filter((f) => f.type === 'lookup' && f.target === parent.name).length > 1 && viaLabel ? ` (${label(viaLabel.label)})` : ''}`;
  if (failed) return null;
  return (
    <Card size="small" title={title} data-testid={`related-${relation.relation}`}
      extra={can(def.name).create ? <Link to={`/app/o/${def.name}/new?${relation.field}=${record.id}`}>{t('common.new')}</Link> : null}>
      <Table<ApiRecord>
        size="small"
        rowKey="id"
        loading={page === null}
        dataSource={page?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('record.relatedEmpty')} /> }}
        columns={columns.map((c) => ({
          key: c,
          title: fieldLabel(def, c, language),
          render: (_: unknown, r: ApiRecord) => {
            const f = def.fields.find((x) => x.name === c)!;
            return c === def.nameField ? <Link to={`/app/o/${def.name}/${r.id}`}>{recordName(def, r, language)}</Link> : formatValue(f, r[c], language, nameOf);
          },
        }))}
      />
      {page?.nextCursor && <Button type="link" onClick={() => void more(page.nextCursor)}>{t('list.loadMore')}</Button>}
    </Card>
  );
}

function History({ object, id }: { object: ObjectDef; id: string }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const { nameOf } = useStaff();
  const [events, setEvents] = useState<TimelineEvent[] | null>(null);
  useEffect(() => {
    Promise.all([recordHistory(object.name, id).catch(() => ({ items: [] })), recordRuns(object.name, id).catch(() => ({ items: [] }))]).then(([h, r]) => setEvents(timeline(h.items, r.items)));
  }, [object.name, id]);
  const defs = new Map(object.fields.map((f) => [f.name, f] as const));
  // An assignment says to whom, by which entry; other actions their type and status.
  const runAction = (a: RuleRun['actions'][number]) => {
    const owner = a.detail?.owner;
    return a.type === 'assign' && a.status === 'applied' && typeof owner === 'string'
      ? t('record.assignedTo', { owner: nameOf('user', owner) ?? owner, entry: String(a.detail?.entry ?? '') })
      : `${a.type}: ${a.status}${a.error ? ` (${a.error})` : ''}`;
  };
  const show = (field: string, v: unknown) => {
    const f = defs.get(field);
    const text = formatValue(f, v, language, nameOf);
    return text || '∅';
  };
  return (
    <Card size="small" title={t('record.history')} data-testid="record-history">
      {events === null ? (
        <Skeleton active />
      ) : events.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('record.noHistory')} />
      ) : (
        <Timeline
          items={events.map((e, i) =>
            e.kind === 'change'
              ? {
                  key: i,
                  color: e.op === 'create' ? 'green' : e.op === 'delete' ? 'red' : 'blue',
                  content: (
                    <div data-testid="history-change">
                      <Typography.Text strong>{t(`record.op.${e.op}`, { defaultValue: e.op })}</Typography.Text>{' '}
                      <Typography.Text type="secondary">{nameOf('user', e.by) ?? e.by} · {formatDateTime(e.at, language)}</Typography.Text>
                      <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
                        {e.changes.filter((c) => e.op !== 'create' || c.new !== null).slice(0, 12).map((c) => (
                          <li key={c.field}>
                            {fieldLabel(object, c.field, language)}: {e.op === 'create' ? show(c.field, c.new) : <>{show(c.field, c.old)} → <b>{show(c.field, c.new)}</b></>}
                          </li>
                        ))}
                      </ul>
                    </div>
                  ),
                }
              : {
                  key: i,
                  color: e.outcome === 'applied' ? 'purple' : 'red',
                  content: (
                    <div data-testid="history-run">
                      <Typography.Text strong>{e.ruleKind === 'assignment' ? t('record.assignmentRun') : t('record.ruleRun', { rule: e.rule })}</Typography.Text>{' '}
                      <Tag color={e.outcome === 'applied' ? 'purple' : 'red'}>{t(`record.outcome.${e.outcome}`, { defaultValue: e.outcome })}</Tag>
                      <Typography.Text type="secondary">{formatDateTime(e.at, language)}</Typography.Text>
                      <div style={{ fontSize: 12 }}>{e.actions.map((a) => runAction(a)).join(' · ')}{e.error ? ` — ${e.error}` : ''}</div>
                    </div>
                  ),
                },
          )}
        />
      )}
    </Card>
  );
}
