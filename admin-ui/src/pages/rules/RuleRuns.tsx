/** A rule's run history (GET /api/rules/{rule}/runs): each run's trigger, record, outcome, every action's status and error, and Retry for a failed run. */
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Descriptions, Empty, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';

interface ActionRun { index: number; type: string; status: string; detail?: Record<string, unknown>; error?: string }
export interface RuleRun {
  id: string; rule: string; kind: string; object: string; recordId: string; trigger: string; at: string; depth: number;
  outcome: 'applied' | 'failed' | 'depthLimit' | 'partial'; actions: ActionRun[]; error?: string; attempts: number; actor: string;
}

const OUTCOME_COLOR: Record<string, string> = { applied: 'green', failed: 'red', partial: 'orange', depthLimit: 'purple' };
const STATUS_COLOR: Record<string, string> = { applied: 'green', alreadyApplied: 'cyan', failed: 'red', skipped: 'default', pending: 'gold' };

/** Runs can be retried when something failed: the retry resumes at the failed action. */
export const retryable = (run: Pick<RuleRun, 'outcome'>) => run.outcome === 'failed' || run.outcome === 'partial';

export function RuleRuns({ rule }: { rule: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [runs, setRuns] = useState<RuleRun[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async (from: string | null) => {
    const { data } = await api<{ items: RuleRun[]; nextCursor: string | null }>(`/api/rules/${encodeURIComponent(rule)}/runs${from ? `?cursor=${encodeURIComponent(from)}` : ''}`);
    setRuns((prev) => (from ? [...(prev ?? []), ...data.items] : data.items));
    setCursor(data.nextCursor);
  }, [rule]);
  useEffect(() => void load(null).catch(() => setRuns([])), [load]);

  const retry = async (run: RuleRun) => {
    setBusy(run.id);
    try {
      const { data } = await api<RuleRun>(`/api/objects/${run.object}/records/${run.recordId}/runs/${run.id}/retry`, { method: 'POST' });
      message.success(t('runs.retried', { outcome: t(`runs.outcomes.${data.outcome}`) }));
      setRuns((prev) => (prev ?? []).map((r) => (r.id === run.id ? data : r)));
    } catch (error) {
      message.error(t('common.error', { message: error instanceof ApiError ? error.message : String(error) }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card size="small" title={t('runs.title')} data-testid="rule-runs" extra={<Button size="small" onClick={() => void load(null)}>{t('runs.refresh')}</Button>}>
      {runs && runs.length === 0 ? <Empty description={t('runs.none')} /> : (
        <Table<RuleRun> size="small" rowKey="id" loading={!runs} dataSource={runs ?? []} pagination={false}
          expandable={{
            expandedRowRender: (run) => (
              <>
                {run.error && <Typography.Paragraph type="danger">{run.error}</Typography.Paragraph>}
                <Table<ActionRun> size="small" rowKey="index" pagination={false} dataSource={run.actions} columns={[
                  { title: '#', dataIndex: 'index', width: 40, render: (i: number) => i + 1 },
                  { title: t('runs.action'), dataIndex: 'type', render: (type: string) => t(`rules.actionTypes.${type}`, { defaultValue: type }) },
                  { title: t('runs.status'), dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`runs.statuses.${s}`, { defaultValue: s })}</Tag> },
                  { title: t('runs.detail'), dataIndex: 'detail', render: (d?: Record<string, unknown>) => d && <Descriptions size="small" column={1} items={Object.entries(d).map(([k, v]) => ({ key: k, label: k, children: typeof v === 'string' ? v : JSON.stringify(v) }))} /> },
                  { title: t('runs.error'), dataIndex: 'error', render: (e?: string) => e && <Typography.Text type="danger">{e}</Typography.Text> },
                ]} />
              </>
            ),
          }}
          columns={[
            { title: t('runs.at'), dataIndex: 'at', render: (at: string) => new Date(at).toLocaleString() },
            { title: t('runs.trigger'), dataIndex: 'trigger', render: (tr: string) => <Tag>{t(`rules.events.${tr}`, { defaultValue: tr })}</Tag> },
            { title: t('runs.record'), key: 'record', render: (_, r) => <Link to={`/app/o/${r.object}/${r.recordId}`}><code>{r.object}/{r.recordId}</code></Link> },
            { title: t('runs.outcome'), dataIndex: 'outcome', render: (o: string) => <Tag color={OUTCOME_COLOR[o]} data-testid="run-outcome">{t(`runs.outcomes.${o}`)}</Tag> },
            { title: t('runs.attempts'), dataIndex: 'attempts', align: 'right' },
            { key: 'retry', render: (_, r) => retryable(r) && <Button size="small" loading={busy === r.id} onClick={() => void retry(r)}>{t('runs.retry')}</Button> },
          ]} />
      )}
      {cursor && <Button style={{ marginTop: 8 }} onClick={() => void load(cursor)}>{t('runs.more')}</Button>}
    </Card>
  );
}
