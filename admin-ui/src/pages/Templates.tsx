/** The template gallery: what each adds, install, upgrade (with the conflicts the three-way merge kept), uninstall. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, List, Popconfirm, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { useDraft } from '../draft';
import type { Labels } from '../labels';
import { useLanguage } from '../useLanguage';

interface GalleryItem {
  name: string; version: string; industry?: string; label: Labels; description?: Labels; requires?: string[];
  objects: Array<{ name: string; label: Labels }>; installedVersion: string | null; upgradeAvailable: boolean;
}
interface Conflict { path: string; base: unknown; ours: unknown; theirs: unknown }
interface Outcome { name: string; conflicts: Conflict[]; error?: string }

export default function Templates() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { message } = App.useApp();
  const { reload } = useDraft();
  const [items, setItems] = useState<GalleryItem[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const load = useCallback(async () => setItems((await api<{ items: GalleryItem[] }>('/api/templates')).data.items), []);
  useEffect(() => void load(), [load]);

  const act = async (name: string, action: 'install' | 'upgrade' | 'uninstall') => {
    setBusy(`${name}/${action}`);
    try {
      const { data } = await api<{ conflicts?: Conflict[] }>(`/api/templates/${name}/${action}`, { method: 'POST', body: { publish: true } });
      setOutcome({ name, conflicts: data.conflicts ?? [] });
      message.success(t('templates.done', { name }));
    } catch (error) {
      const e = error instanceof ApiError ? error : null;
      setOutcome({ name, conflicts: (e?.body.conflicts as Conflict[] | undefined) ?? [], error: e ? [e.message, ...e.problems.map((p) => `${p.pointer}: ${p.message}`)].join('\n') : String(error) });
    } finally {
      setBusy(null);
      await Promise.all([load(), reload()]);
    }
  };

  const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('templates.title')}</Typography.Title>
      {outcome && (outcome.error || outcome.conflicts.length > 0) && (
        <Alert type={outcome.error ? 'error' : 'warning'} closable onClose={() => setOutcome(null)} data-testid="template-outcome"
          title={outcome.error ? <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{outcome.error}</pre> : `${outcome.name}: ${t('templates.conflicts')}`}
          description={outcome.conflicts.length > 0 && (
            <List size="small" dataSource={outcome.conflicts} renderItem={(c) => (
              <List.Item>
                <Space orientation="vertical" size={0}>
                  <Typography.Text code>{c.path}</Typography.Text>
                  <span>{t('templates.base')}: {show(c.base)} · {t('templates.ours')}: <b>{show(c.ours)}</b> · {t('templates.theirs')}: {show(c.theirs)}</span>
                </Space>
              </List.Item>
            )} />
          )} />
      )}
      <Row gutter={[16, 16]}>
        {(items ?? []).map((item) => (
          <Col key={item.name} xs={24} md={12} xl={8}>
            <Card title={label(item.label, item.name)} data-testid={`template-${item.name}`}
              extra={item.installedVersion ? <Tag color="green">{t('templates.installed', { version: item.installedVersion })}</Tag> : <Tag>{item.version}</Tag>}
              actions={[
                !item.installedVersion && <Button key="i" type="primary" loading={busy === `${item.name}/install`} onClick={() => act(item.name, 'install')}>{t('templates.install')}</Button>,
                item.upgradeAvailable && <Button key="u" loading={busy === `${item.name}/upgrade`} onClick={() => act(item.name, 'upgrade')}>{t('templates.upgrade', { version: item.version })}</Button>,
                item.installedVersion && (
                  <Popconfirm key="x" title={t('templates.uninstallConfirm', { name: label(item.label, item.name) })} onConfirm={() => act(item.name, 'uninstall')}>
                    <Button danger loading={busy === `${item.name}/uninstall`}>{t('templates.uninstall')}</Button>
                  </Popconfirm>
                ),
              ].filter(Boolean)}>
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 3 }}>{label(item.description)}</Typography.Paragraph>
              {item.requires?.length ? <div>{t('templates.requires')}: {item.requires.map((r) => <Tag key={r}>{r}</Tag>)}</div> : null}
              <div style={{ marginTop: 8 }}>{t('templates.adds')}: {item.objects.map((o) => <Tag key={o.name} color="blue">{label(o.label, o.name)}</Tag>)}</div>
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
