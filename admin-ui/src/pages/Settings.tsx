/**
 * Webhooks and tenant settings: each webhook's object, events, URL, conditions (the condition
 * builder) and signing secret (show, rotate), dead deliveries with Replay; business hours
 * (time zone, working intervals per weekday, holidays) and the hosts webhooks may reach
 * during development. Problems appear at the input they name.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Form, Input, Popconfirm, Row, Select, Space, Switch, Table, Tabs, Tag, TimePicker, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { useDraft } from '../draft';
import { below, problemsUnder, statusAt, useSaveDraft } from '../editing';
import { apiName } from '../fieldSettings';
import type { BusinessHoursDef, MetadataBundle, TenantSettings, WebhookDef } from '../types';
import { useLanguage } from '../useLanguage';
import { ConditionBuilder } from './rules/ConditionBuilder';
import { useValueSources } from './rules/common';

const DAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
const EVENTS = ['created', 'updated', 'deleted'] as const;
const ZONES: string[] = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? ['UTC', 'Asia/Shanghai'];

export default function Settings() {
  const { t } = useTranslation();
  const { draft, problems } = useDraft();
  const save = useSaveDraft();
  const [webhooks, setWebhooks] = useState<WebhookDef[] | null>(null);
  const [settings, setSettings] = useState<TenantSettings | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (draft && !webhooks) {
      setWebhooks(structuredClone(draft.bundle.webhooks ?? []));
      setSettings(structuredClone(draft.bundle.settings ?? {}));
    }
  }, [draft, webhooks]);
  if (!draft || !webhooks || !settings) return <Card loading />;
  const submit = async () => {
    setSaving(true);
    await save((bundle) => {
      const next: MetadataBundle = { ...bundle, webhooks, settings };
      if (!webhooks.length) delete next.webhooks;
      if (!Object.keys(settings).length) delete next.settings;
      return next;
    });
    setSaving(false);
  };
  const settingProblems = problemsUnder(problems, '/settings');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('settings.title')}</Typography.Title>
        <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="save-settings">{t('editor.save')}</Button>
      </Space>
      <Tabs items={[
        { key: 'webhooks', label: t('settings.webhooks'), children: <Webhooks webhooks={webhooks} onChange={setWebhooks} /> },
        { key: 'hours', label: t('settings.businessHours'), children: <BusinessHours value={settings.businessHours} problems={below(settingProblems, 'businessHours')} onChange={(h) => { const { businessHours: _b, ...rest } = settings; setSettings(h ? { ...rest, businessHours: h } : rest); }} /> },
        {
          key: 'hosts', label: t('settings.allowHosts'),
          children: (
            <Card size="small">
              <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('settings.allowHostsHelp')} />
              <Form.Item label={t('settings.allowHosts')} {...statusAt(settingProblems, 'webhooks/allowHosts')}>
                <Select mode="tags" style={{ width: '100%' }} open={false} suffixIcon={null} tokenSeparators={[',', ' ']} value={settings.webhooks?.allowHosts ?? []} data-testid="allow-hosts"
                  onChange={(hosts: string[]) => { const { webhooks: _w, ...rest } = settings; setSettings(hosts.length ? { ...rest, webhooks: { allowHosts: hosts } } : rest); }} placeholder="127.0.0.1:4000" />
              </Form.Item>
            </Card>
          ),
        },
        { key: 'dead', label: t('settings.deadDeliveries'), children: <DeadDeliveries /> },
      ]} />
    </Space>
  );
}

function Webhooks({ webhooks, onChange }: { webhooks: WebhookDef[]; onChange: (w: WebhookDef[]) => void }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { draft, problems } = useDraft();
  const objects = draft?.bundle.objects ?? [];
  const set = (i: number, w: WebhookDef) => onChange(webhooks.map((x, j) => (j === i ? w : x)));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {webhooks.map((w, i) => {
        const mine = problemsUnder(problems, `/webhooks/${i}`);
        const object = objects.find((o) => o.name === w.object);
        return (
          <Card key={i} size="small" data-testid={`webhook-${i}`} title={<code>{w.name || '…'}</code>}
            extra={<Space><Secret name={w.name} /><Popconfirm title={t('rules.deleteConfirm', { name: w.name })} onConfirm={() => onChange(webhooks.filter((_, j) => j !== i))}><Button size="small" danger>{t('rules.delete')}</Button></Popconfirm></Space>}>
            <Form layout="vertical">
              <Row gutter={12}>
                <Col span={5}><Form.Item label={t('rules.name')} {...statusAt(mine, 'name')}><Input value={w.name} onChange={(e) => set(i, { ...w, name: e.target.value })} onBlur={(e) => set(i, { ...w, name: apiName(e.target.value) || e.target.value })} /></Form.Item></Col>
                <Col span={5}><Form.Item label={t('rules.object')} {...statusAt(mine, 'object')}>
                  <Select showSearch optionFilterProp="label" value={w.object} onChange={(o: string) => { const { conditions: _c, ...rest } = w; set(i, { ...rest, object: o }); }} options={objects.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />
                </Form.Item></Col>
                <Col span={6}><Form.Item label={t('settings.events')} {...statusAt(mine, 'events')}>
                  <Checkbox.Group value={w.events} onChange={(events) => set(i, { ...w, events: events as WebhookDef['events'] })} options={EVENTS.map((e) => ({ value: e, label: t(`rules.events.${e}`) }))} />
                </Form.Item></Col>
                <Col span={6}><Form.Item label="URL" {...statusAt(mine, 'url')}><Input value={w.url} onChange={(e) => set(i, { ...w, url: e.target.value })} placeholder="https://" /></Form.Item></Col>
                <Col span={2}><Form.Item label={t('rules.active')}><Switch checked={w.active !== false} onChange={(v) => { const { active: _a, ...rest } = w; set(i, v ? rest : { ...rest, active: false }); }} /></Form.Item></Col>
              </Row>
              {object && (
                <Form.Item label={t('rules.onlyWhen')}>
                  <WebhookConditions key={`${i}-${w.object}`} webhook={w} object={object} problems={below(mine, 'conditions')} onChange={(conditions) => { const { conditions: _c, ...rest } = w; set(i, conditions === undefined ? rest : { ...rest, conditions: conditions as Record<string, unknown> }); }} />
                </Form.Item>
              )}
            </Form>
          </Card>
        );
      })}
      <Button data-testid="add-webhook" onClick={() => onChange([...webhooks, { name: `webhook_${webhooks.length + 1}`, object: objects[0]?.name ?? '', events: ['created', 'updated'], url: 'https://' }])}>{t('settings.addWebhook')}</Button>
    </Space>
  );
}

function WebhookConditions({ webhook, object, problems, onChange }: { webhook: WebhookDef; object: NonNullable<ReturnType<typeof useDraft>['draft']>['bundle']['objects'][number]; problems: ReturnType<typeof below>; onChange: (c: unknown) => void }) {
  const sources = useValueSources(object);
  return <ConditionBuilder object={object} value={webhook.conditions} sources={sources} problems={problems} onChange={onChange} />;
}

/** The webhook's signing secret: shown on request (it is made on first use), rotated with the old one still signing for 24 h. */
function Secret({ name }: { name: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [secret, setSecret] = useState<{ secret: string; previousValidUntil?: string } | null>(null);
  const call = async (rotate: boolean) => {
    try {
      setSecret((await api<{ secret: string; previousValidUntil?: string }>(`/api/webhooks/${encodeURIComponent(name)}/secret${rotate ? '/rotate' : ''}`, { method: rotate ? 'POST' : 'GET' })).data);
    } catch (error) {
      message.error(t('common.error', { message: error instanceof ApiError ? error.message : String(error) }));
    }
  };
  return (
    <Space>
      {secret && <Typography.Text code copyable>{secret.secret}</Typography.Text>}
      {secret?.previousValidUntil && <Tag>{t('settings.previousUntil', { at: new Date(secret.previousValidUntil).toLocaleString() })}</Tag>}
      <Button size="small" onClick={() => void call(false)}>{t('settings.showSecret')}</Button>
      <Popconfirm title={t('settings.rotateConfirm')} onConfirm={() => void call(true)}><Button size="small">{t('settings.rotate')}</Button></Popconfirm>
    </Space>
  );
}

function BusinessHours({ value, onChange, problems }: { value: BusinessHoursDef | undefined; onChange: (h: BusinessHoursDef | undefined) => void; problems: ReturnType<typeof below> }) {
  const { t } = useTranslation();
  if (!value) {
    return <Card size="small"><Space orientation="vertical"><Typography.Text type="secondary">{t('settings.noHours')}</Typography.Text>
      <Button data-testid="add-business-hours" onClick={() => onChange({ timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', week: Object.fromEntries(DAYS.slice(0, 5).map((d) => [d, [['09:00', '18:00']]])) })}>{t('settings.setHours')}</Button></Space></Card>;
  }
  const setDay = (day: (typeof DAYS)[number], intervals: Array<[string, string]>) => {
    const week = { ...value.week };
    if (intervals.length) week[day] = intervals;
    else delete week[day];
    onChange({ ...value, week });
  };
  const time = (s: string) => (s === '24:00' ? dayjs('23:59', 'HH:mm') : dayjs(s, 'HH:mm'));
  return (
    <Card size="small" extra={<Popconfirm title={t('settings.removeHoursConfirm')} onConfirm={() => onChange(undefined)}><Button size="small" danger>{t('rules.delete')}</Button></Popconfirm>}>
      <Form layout="vertical">
        <Form.Item label={t('settings.timeZone')} {...statusAt(problems, 'timeZone')}>
          <Select showSearch style={{ width: 320 }} value={value.timeZone} onChange={(timeZone: string) => onChange({ ...value, timeZone })} options={ZONES.map((z) => ({ value: z, label: z }))} />
        </Form.Item>
        <Table size="small" pagination={false} rowKey="day" dataSource={DAYS.map((day) => ({ day, intervals: value.week[day] ?? [] }))} columns={[
          { title: t('settings.day'), dataIndex: 'day', render: (d: string) => t(`settings.weekdays.${d}`) },
          {
            title: t('settings.hours'), key: 'intervals', render: (_, { day, intervals }) => (
              <Space wrap>
                {intervals.map(([from, to], k) => (
                  <Space key={k}>
                    <TimePicker.RangePicker format="HH:mm" minuteStep={15} value={[time(from), time(to)]} status={statusAt(problems, `week/${day}/${k}`).validateStatus}
                      onChange={(range) => { const [a, b] = range ?? []; if (a && b) setDay(day, intervals.map((iv, j) => (j === k ? [a.format('HH:mm'), b.format('HH:mm')] : iv))); }} />
                    <Button size="small" type="text" danger onClick={() => setDay(day, intervals.filter((_, j) => j !== k))}>⨯</Button>
                  </Space>
                ))}
                <Button size="small" onClick={() => setDay(day, [...intervals, ['09:00', '18:00']])}>{intervals.length ? t('settings.addInterval') : t('settings.working')}</Button>
                {intervals.length === 0 && <Tag>{t('settings.off')}</Tag>}
              </Space>
            ),
          },
        ]} />
        <Form.Item label={t('settings.holidays')} style={{ marginTop: 12 }} {...statusAt(problems, 'holidays')}>
          <Space wrap>
            {(value.holidays ?? []).map((d) => <Tag key={d} closable onClose={() => { const holidays = (value.holidays ?? []).filter((x) => x !== d); const { holidays: _h, ...rest } = value; onChange(holidays.length ? { ...rest, holidays } : rest); }}>{d}</Tag>)}
            <DatePicker<dayjs.Dayjs> placeholder={t('settings.addHoliday')} value={null} onChange={(d: dayjs.Dayjs | null) => d && onChange({ ...value, holidays: [...new Set([...(value.holidays ?? []), d.format('YYYY-MM-DD')])].sort() })} />
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}

interface Delivery { id: string; webhook: string; event?: string; object?: string; attempts?: number; lastStatus?: number; lastError?: string; createdAt?: string }

function DeadDeliveries() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [items, setItems] = useState<Delivery[] | null>(null);
  const load = useCallback(async () => setItems((await api<{ items: Delivery[] }>('/api/webhook-deliveries?status=dead')).data.items), []);
  useEffect(() => void load().catch(() => setItems([])), [load]);
  const columns = useMemo(() => [
    { title: t('settings.webhook'), dataIndex: 'webhook' },
    { title: t('runs.trigger'), key: 'event', render: (_: unknown, d: Delivery) => `${d.object ?? ''} ${d.event ?? ''}` },
    { title: t('runs.attempts'), dataIndex: 'attempts' },
    { title: t('runs.error'), key: 'error', render: (_: unknown, d: Delivery) => <Typography.Text type="danger">{d.lastStatus ? `HTTP ${d.lastStatus} ` : ''}{d.lastError ?? ''}</Typography.Text> },
    {
      key: 'replay', render: (_: unknown, d: Delivery) => <Button size="small" onClick={async () => {
        try { await api(`/api/webhook-deliveries/${d.id}/replay`, { method: 'POST' }); message.success(t('settings.replayed')); await load(); } catch (error) { message.error(String(error)); }
      }}>{t('settings.replay')}</Button>,
    },
  ], [t, load, message]);
  return <Table<Delivery> size="small" rowKey="id" loading={!items} dataSource={items ?? []} pagination={false} columns={columns} locale={{ emptyText: t('settings.noDead') }} />;
}
