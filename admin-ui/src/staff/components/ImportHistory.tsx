/** Past imports of an object, with their state, counts, error report and undo; and the undo button with its confirmation. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Empty, Space, Table, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import type { ImportJob } from '../dataOps';
import { download, importErrorReport, listImports } from '../dataOps';
import { untilDone } from '../importModel';

const STATUS_COLOURS: Record<ImportJob['status'], string> = { uploaded: 'default', ready: 'default', running: 'processing', completed: 'success', undoing: 'warning', undone: 'default' };

/** What an undo did: the headline, and what it left (records changed since, records it could not undo). */
function undoSummary(t: TFunction<'staff'>, job: ImportJob): { title: string; warnings: string[] } {
  const c = job.undo?.counts ?? {};
  return {
    title: t('data.undone', { deleted: c.deleted ?? 0, restored: c.restored ?? 0 }),
    warnings: [...(c.conflict ? [t('data.undoConflicts', { count: c.conflict })] : []), ...(c.failed ? [t('data.undoFailed', { count: c.failed })] : [])],
  };
}

/** A finished undo, kept on the page after its toast has gone. */
export function UndoResult({ job }: { job: ImportJob }) {
  const { t } = useTranslation('staff');
  if (!job.undo?.done) return null;
  const { title, warnings } = undoSummary(t, job);
  return <Alert type={warnings.length ? 'warning' : 'success'} showIcon data-testid="undo-result" title={title} description={warnings.length ? warnings.join(' ') : undefined} />;
}

/** Undo with a confirmation that says how many records go and come back; then what happened, records changed since included. */
export function UndoButton({ job, onDone }: { job: ImportJob; onDone: (job: ImportJob) => void }) {
  const { t } = useTranslation('staff');
  const { modal, message } = App.useApp();
  const [busy, setBusy] = useState(false);
  if (!job.run || job.status === 'undone') return null;
  const deleted = job.run.counts.created ?? 0;
  const restored = job.run.counts.updated ?? 0;
  const undo = async () => {
    setBusy(true);
    try {
      const done = await untilDone(job.id, 'undo', () => undefined);
      const { title, warnings } = undoSummary(t, done);
      message.success(title);
      for (const warning of warnings) message.warning(warning);
      onDone(done);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button danger loading={busy} data-testid="import-undo"
      onClick={() => modal.confirm({ title: t('data.undoConfirmTitle'), content: <span data-testid="undo-confirm">{t('data.undoConfirm', { deleted, restored })}</span>, okButtonProps: { danger: true, 'data-testid': 'undo-ok' } as { danger: boolean }, okText: t('data.undo'), onOk: () => void undo() })}>
      {busy ? t('data.undoing') : t('data.undo')}
    </Button>
  );
}

export function ImportHistory({ def }: { def: ObjectDef }) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const [jobs, setJobs] = useState<ImportJob[] | null>(null);
  const load = useCallback(() => listImports().then((all) => setJobs(all.filter((j) => j.object === def.name)), () => setJobs([])), [def.name]);
  useEffect(() => void load(), [load]);
  const counts = (j: ImportJob) => {
    const c = { ...(j.run?.counts ?? {}), ...Object.fromEntries(Object.entries(j.undo?.counts ?? {}).map(([k, v]) => [`undo ${k}`, v])) };
    return Object.entries(c).filter(([, v]) => v).map(([k, v]) => <Tag key={k}>{k} {v}</Tag>);
  };
  if (jobs && jobs.length === 0) return <Empty description={t('data.noImports', { objects: label(def.pluralLabel ?? def.label, def.name) })} />;
  return (
    <Table<ImportJob>
      size="small"
      loading={jobs === null}
      data-testid="import-history"
      rowKey="id"
      dataSource={jobs ?? []}
      pagination={false}
      scroll={{ x: 'max-content' }}
      columns={[
        { key: 'name', title: t('data.file'), render: (_, j) => <Typography.Text>{j.name}</Typography.Text> },
        { key: 'when', title: t('data.when'), render: (_, j) => new Date(j.createdAt).toLocaleString(language) },
        { key: 'rows', title: t('data.rows'), dataIndex: 'rows' },
        { key: 'status', title: t('data.outcome'), render: (_, j) => <Space wrap><Tag color={STATUS_COLOURS[j.status]} data-testid="import-status">{t(`data.status.${j.status}`)}</Tag>{counts(j)}</Space> },
        {
          key: 'actions',
          title: '',
          render: (_, j) => (
            <Space>
              {(j.run?.counts.failed ?? 0) > 0 && <Button size="small" onClick={() => void importErrorReport(j.id, 'run').then(({ blob, name }) => download(blob, name))}>{t('data.errorReport')}</Button>}
              <UndoButton job={j} onDone={() => void load()} />
            </Space>
          ),
        },
      ]}
    />
  );
}
