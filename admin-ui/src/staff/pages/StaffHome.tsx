/** Home: my open tasks, my notifications, records assigned to me, my recent records. */
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Button, Col, Empty, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { pickLabel } from '../../labels';
import { useLanguage } from '../../useLanguage';
import type { ObjectDef } from '../../types';
import { useStaff } from '../StaffContext';
import { assignedQueries, isOpenRecord } from '../home';
import { fieldLabel, formatValue, optionColor, recordName } from '../format';
import type { ApiRecord, Notification } from '../staffApi';
import { listRecords, markRead, myNotifications } from '../staffApi';
import { useApprovalsInbox } from '../approvals';

const TASK_OBJECTS = new Set(['activity', 'task']);

interface Row {
  readonly object: string;
  readonly record: ApiRecord;
}

export default function StaffHome() {
  const { t } = useTranslation('staff');
  const { me, objects, can, capabilitiesLoaded, rememberNames } = useStaff();
  const [assigned, setAssigned] = useState<Row[] | null>(null);
  const [recent, setRecent] = useState<Row[] | null>(null);
  const queries = useMemo(() => assignedQueries(objects, me.userId), [objects, me.userId]);

  useEffect(() => {
    let live = true;
    Promise.all(queries.map((q) => listRecords(q.object, { filters: q.filters, sort: q.sort, limit: 20 }).then((p) => p.items.map((record) => ({ object: q.object, record })), () => [])))
      .then((pages) => {
        if (!live) return;
        const rows = pages.flat();
        for (const name of new Set(rows.map((r) => r.object))) rememberNames(name, rows.filter((r) => r.object === name).map((r) => r.record));
        setAssigned(rows);
      });
    return () => void (live = false);
  }, [queries, rememberNames]);

  // The objects the user works in (may create) — their newest records owned by the user.
  const working = useMemo(() => (capabilitiesLoaded ? objects.filter((o) => can(o.name).create && !TASK_OBJECTS.has(o.name)).slice(0, 4) : []), [objects, can, capabilitiesLoaded]);
  useEffect(() => {
    if (!capabilitiesLoaded) return;
    let live = true;
    Promise.all(working.map((o) => listRecords(o.name, { filters: [{ field: 'owner', op: 'eq', value: me.userId }], sort: null, limit: 5 }).then((p) => p.items.map((record) => ({ object: o.name, record })), () => [])))
      .then((pages) => live && setRecent(pages.flat()));
    return () => void (live = false);
  }, [working, capabilitiesLoaded, me.userId]);

  const tasks = assigned?.filter((r) => TASK_OBJECTS.has(r.object)) ?? null;
  const others = assigned?.filter((r) => !TASK_OBJECTS.has(r.object) && isOpenRecord(objects.find((o) => o.name === r.object)!, r.record)) ?? null;
  const taskObject = objects.find((o) => TASK_OBJECTS.has(o.name));
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="home-title">
        {t('home.greeting', { name: me.name ?? '' })}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Panel title={t('home.tasks')} testId="home-tasks" extra={taskObject && can(taskObject.name).create ? <Link to={`/app/o/${taskObject.name}/new`}>{t('home.newTask')}</Link> : null}>
            <RecordRows rows={tasks} empty={t('home.tasksEmpty')} detail={['due_date', 'priority', 'status']} />
          </Panel>
        </Col>
        <Col xs={24} lg={12}>
          <Notifications />
        </Col>
        <Col xs={24} lg={12}>
          <Panel title={t('home.assigned')} testId="home-assigned">
            <RecordRows rows={others} empty={t('home.assignedEmpty')} detail={['status', 'priority', 'due_at']} showObject />
          </Panel>
        </Col>
        <Approvals />
        <Col xs={24} lg={12}>
          <Panel title={t('home.recent')} testId="home-recent">
            <RecordRows rows={recent} empty={t('home.recentEmpty')} detail={['stage', 'status', 'amount']} showObject />
          </Panel>
        </Col>
      </Row>
    </Space>
  );
}

/**
 * A titled box. The home page is the staff app's landing: antd's Card (which loads Tabs) and
 * List (which loads Pagination and Select) would add ~45 KB gzipped to its first load for a frame.
 */
function Panel({ title, extra, testId, children }: { title: React.ReactNode; extra?: React.ReactNode; testId: string; children: React.ReactNode }) {
  return (
    <section data-testid={testId} style={{ background: '#fff', border: '1px solid #f0f0f0', borderRadius: 8, height: '100%' }}>
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '12px 16px', borderBottom: '1px solid #f0f0f0' }}>
        <Typography.Text strong style={{ fontSize: 16 }}>{title}</Typography.Text>
        {extra}
      </header>
      <div style={{ padding: '4px 16px 8px' }}>{children}</div>
    </section>
  );
}

function Rows<T>({ items, empty, render }: { items: T[] | null; empty: string; render: (item: T) => React.ReactNode }) {
  if (items === null) return <Skeleton active paragraph={{ rows: 3 }} style={{ padding: '12px 0' }} />;
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return <>{items.map(render)}</>;
}

const rowStyle: React.CSSProperties = { padding: '10px 0', borderBottom: '1px solid #f5f5f5' };

function RecordRows({ rows, empty, detail, showObject }: { rows: Row[] | null; empty: string; detail: string[]; showObject?: boolean }) {
  const { language, label } = useLanguage();
  const { object, nameOf } = useStaff();
  return (
    <Rows
      items={rows}
      empty={empty}
      render={({ object: name, record }) => {
        const def = object(name) as ObjectDef;
        const shown = detail.filter((f) => def.fields.some((x) => x.name === f) && record[f] !== undefined).slice(0, 2);
        return (
          <div key={`${name}/${record.id}`} style={rowStyle} data-testid="home-row">
            <Link to={`/app/o/${name}/${record.id}`}>{recordName(def, record, language)}</Link>
            <div style={{ marginTop: 4 }}>
              <Space wrap size={4}>
                {showObject && <Tag>{label(def.label, name)}</Tag>}
                {shown.map((f) => {
                  const field = def.fields.find((x) => x.name === f);
                  return (
                    <Tag key={f} color={field ? optionColor(field, record[f]) : undefined}>
                      {fieldLabel(def, f, language)}: {formatValue(field, record[f], language, nameOf)}
                    </Tag>
                  );
                })}
              </Space>
            </div>
          </div>
        );
      }}
    />
  );
}

function Notifications() {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const [items, setItems] = useState<Notification[] | null>(null);
  useEffect(() => {
    myNotifications().then((n) => setItems(n.items), () => setItems([]));
  }, []);
  const unread = items?.filter((n) => !n.read).length ?? 0;
  const read = async (n: Notification) => {
    await markRead(n.id);
    setItems((prev) => prev?.map((x) => (x.id === n.id ? { ...x, read: true } : x)) ?? null);
  };
  return (
    <Panel title={<Space>{t('home.notifications')}{unread > 0 && <Tag color="red" data-testid="unread-count">{unread}</Tag>}</Space>} testId="home-notifications">
      <Rows
        items={items}
        empty={t('home.notificationsEmpty')}
        render={(n) => (
          <div key={n.id} style={{ ...rowStyle, display: 'flex', justifyContent: 'space-between', gap: 8 }} data-testid="notification">
            <div>
              {n.object && n.recordId ? (
                <Link to={`/app/o/${n.object}/${n.recordId}`} style={{ fontWeight: n.read ? 400 : 600 }}>{pickLabel(n.message, language, '…')}</Link>
              ) : (
                <span style={{ fontWeight: n.read ? 400 : 600 }}>{pickLabel(n.message, language, '…')}</span>
              )}
              <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{new Date(n.at).toLocaleString(language)}</Typography.Text></div>
            </div>
            {!n.read && <Button size="small" onClick={() => void read(n)} data-testid="mark-read">{t('home.markRead')}</Button>}
          </div>
        )}
      />
    </Panel>
  );
}

function Approvals() {
  const { t } = useTranslation('staff');
  const inbox = useApprovalsInbox();
  if (!inbox.available) return null;
  return (
    <Col xs={24} lg={12}>
      <Panel title={t('home.approvals')} testId="home-approvals">
        {inbox.render()}
      </Panel>
    </Col>
  );
}
