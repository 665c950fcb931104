/**
 * CSV import of one object (`/app/o/:object/import`): upload (drag and drop; the server detects
 * UTF-8 or GBK, the user may pick the other), column mapping (the server's suggestions filled
 * in, required fields left unmapped flagged), options (create / update / upsert, match key,
 * automations), a dry run with counts and every row's problems, then the run with progress,
 * the error report and undo. Past imports of the object below, with their own undo.
 */
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert, Breadcrumb, Button, Card, Form, Progress, Radio, Result, Select, Space, Statistic, Steps, Switch, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import { ImportHistory, UndoButton, UndoResult } from '../components/ImportHistory';
import { RowProblems } from '../components/RowProblems';
import type { ImportJob, ImportMode, RowOutcome } from '../dataOps';
import { configureImport, createImport, download, fileBase64, importErrorReport, importRows } from '../dataOps';
import { fieldLabel } from '../format';
import { fileSizeProblem, mappableFields, previewRows, requiredUnmapped, rowsToShow, untilDone } from '../importModel';

export default function ImportWizard() {
  const { object: name = '' } = useParams();
  const [search] = useSearchParams();
  const { object, can, hasRoute } = useStaff();
  const { t } = useTranslation('staff');
  const { label } = useLanguage();
  const def = object(name);
  if (!def) return <Result status="404" title={t('record.noObject')} />;
  const caps = can(def.name);
  const plural = label(def.pluralLabel ?? def.label, def.name);
  const allowed = (caps.create || caps.update) && hasRoute('POST /api/imports');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 1100 }}>
      <Breadcrumb items={[{ title: <Link to={`/app/o/${def.name}`}>{plural}</Link> }, { title: t('data.import') }]} />
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="import-title">{t('data.importTitle', { objects: plural })}</Typography.Title>
      {!allowed ? (
        <Result status="403" title={t('record.noObject')} />
      ) : (
        <Tabs
          destroyOnHidden
          defaultActiveKey={search.get('tab') === 'history' ? 'history' : 'new'}
          items={[
            { key: 'new', label: t('data.newImport'), children: <Wizard key={def.name} def={def} /> },
            { key: 'history', label: <span data-testid="import-history-tab">{t('data.history')}</span>, children: <ImportHistory def={def} /> },
          ]}
        />
      )}
    </Space>
  );
}

const problemOf = (e: unknown) => (e instanceof ApiError ? [e.message, ...e.problems.map((p) => `${p.pointer ? `${p.pointer}: ` : ''}${p.message}`)] : [String(e)]);

function Wizard({ def }: { def: ObjectDef }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const { can } = useStaff();
  const caps = can(def.name);
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState<string>('auto');
  const [job, setJob] = useState<ImportJob | null>(null);
  const [sample, setSample] = useState<string[][]>([]);
  const [mapping, setMapping] = useState<Array<string | null>>([]);
  const [mode, setMode] = useState<ImportMode>(caps.create ? 'create' : 'update');
  const [matchOn, setMatchOn] = useState<string | null>(null);
  const [automation, setAutomation] = useState(true);
  const [rows, setRows] = useState<RowOutcome[]>([]);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblems([]);
    try {
      await work();
    } catch (e) {
      setProblems(problemOf(e));
    } finally {
      setBusy(false);
    }
  };

  const upload = (chosen: File, enc: string) =>
    act(async () => {
      const created = await createImport(def.name, chosen.name, await fileBase64(chosen), enc);
      setJob(created);
      setMapping(created.suggestions.map((s) => s.field));
      setSample(await previewRows(chosen, created.encoding).catch(() => []));
      setStep(1);
    });

  useEffect(() => {
    if (file) void upload(file, encoding);
  }, [file, encoding]); // eslint-disable-line react-hooks/exhaustive-deps

  const fields = mappableFields(def, caps.creatable, caps.editable);
  const missing = mode === 'update' ? [] : requiredUnmapped(def, mapping);
  const matchable = mapping.filter((m): m is string => m !== null);

  const dryRun = () =>
    act(async () => {
      const configured = await configureImport(job!.id, { mapping, mode, matchOn: mode === 'create' && !matchOn ? null : matchOn, automation });
      setJob(configured);
      setStep(3);
      const done = await untilDone(configured.id, 'dry-run', setJob);
      setJob(done);
      setRows(await importRows(done.id, 'dryRun'));
    });

  const run = () =>
    act(async () => {
      setStep(4);
      const done = await untilDone(job!.id, 'run', setJob);
      setJob(done);
      setRows(await importRows(done.id, 'run'));
    });

  const report = (phase: 'dryRun' | 'run') => act(async () => {
    const { blob, name } = await importErrorReport(job!.id, phase);
    download(blob, name);
  });

  const counts = (phase: 'dryRun' | 'run') => {
    const c = job?.[phase]?.counts ?? {};
    const keys = phase === 'dryRun' ? ['create', 'update', 'skip', 'fail'] : ['created', 'updated', 'skipped', 'failed'];
    return (
      <Space wrap size="large" data-testid={`${phase}-counts`}>
        {keys.map((k) => <Statistic key={k} title={t(`data.counts.${k}` as 'data.counts.create')} value={c[k] ?? 0} styles={{ content: { color: k.startsWith('fail') && c[k] ? '#cf1322' : undefined } }} data-testid={`count-${k}`} />)}
      </Space>
    );
  };
  const percent = (phase: 'dryRun' | 'run') => (job ? Math.round(((job[phase]?.rowsDone ?? 0) / Math.max(job.rows, 1)) * 100) : 0);
  const shown = rowsToShow(rows);
  const failedRows = (job?.run ? job.run.counts.failed : job?.dryRun?.counts.fail) ?? 0;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Steps
        current={step}
        size="small"
        responsive
        items={[t('data.steps.upload'), t('data.steps.mapping'), t('data.steps.options'), t('data.steps.review'), t('data.steps.run')].map((title) => ({ title }))}
      />
      {problems.length > 0 && <Alert type="error" showIcon data-testid="import-problems" title={problems[0]} description={problems.length > 1 ? <ul style={{ margin: 0 }}>{problems.slice(1).map((p, i) => <li key={i}>{p}</li>)}</ul> : undefined} />}

      {step === 0 && (
        <Upload.Dragger accept=".csv,text/csv" multiple={false} showUploadList={false} disabled={busy} data-testid="import-drop"
          beforeUpload={(f) => {
            const tooLarge = fileSizeProblem(f.size);
            if (tooLarge) {
              setProblems([t(tooLarge.key, tooLarge.values)]);
              return false;
            }
            setProblems([]);
            setEncoding('auto');
            setFile(f);
            return false;
          }}>
          <Typography.Paragraph strong>{t('data.drop')}</Typography.Paragraph>
          <Typography.Paragraph type="secondary">{t('data.dropHint')}</Typography.Paragraph>
        </Upload.Dragger>
      )}

      {step === 1 && job && (
        <Card size="small" title={`${job.name} · ${t('data.rowsFound', { rows: job.rows, columns: job.headers.length })}`}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text>{t('data.encoding')}</Typography.Text>
              <Radio.Group size="small" value={job.encoding === 'gbk' ? 'gbk' : 'utf-8'} onChange={(e) => file && setEncoding(e.target.value as string)} data-testid="import-encoding"
                options={[{ value: 'utf-8', label: 'UTF-8' }, { value: 'gbk', label: 'GBK' }]} />
              {job.encoding !== 'utf-8' && <Typography.Text type="warning">{t('data.encodingDetected', { encoding: job.encoding.toUpperCase() })}</Typography.Text>}
            </Space>
            {missing.length > 0 && <Alert type="warning" showIcon data-testid="required-unmapped" title={t('data.requiredMissing', { fields: missing.map((f) => fieldLabel(def, f.name, language)).join(', ') })} />}
            <Table
              size="small"
              pagination={false}
              rowKey="column"
              scroll={{ x: 'max-content' }}
              dataSource={job.headers.map((header, column) => ({ column, header }))}
              columns={[
                { key: 'header', title: t('data.column'), render: (_, r) => <Typography.Text strong>{r.header}</Typography.Text> },
                { key: 'sample', title: t('data.sample'), responsive: ['md'], render: (_, r) => <Typography.Text type="secondary" ellipsis style={{ maxWidth: 220 }}>{sample.map((row) => row[r.column] ?? '').filter(Boolean).slice(0, 3).join(' · ')}</Typography.Text> },
                {
                  key: 'field',
                  title: t('data.field'),
                  render: (_, r) => (
                    <Space>
                      <Select
                        style={{ minWidth: 180 }}
                        value={mapping[r.column] ?? ''}
                        data-testid={`map-${r.column}`}
                        onChange={(v: string) => setMapping((m) => m.map((x, i) => (i === r.column ? v || null : x)))}
                        options={[{ value: '', label: t('data.ignore') }, ...fields.map((f) => ({ value: f, label: fieldLabel(def, f, language), disabled: mapping.includes(f) && mapping[r.column] !== f })), { value: 'id', label: t('data.recordId') }]}
                      />
                      {job.suggestions[r.column]?.field && job.suggestions[r.column]!.field === mapping[r.column] && <Tag color="blue">{t('data.suggested')}</Tag>}
                    </Space>
                  ),
                },
              ]}
            />
            <Space>
              <Button onClick={() => { setJob(null); setFile(null); setStep(0); }}>{t('data.back')}</Button>
              <Button type="primary" onClick={() => setStep(2)} data-testid="import-next">{t('data.next')}</Button>
            </Space>
          </Space>
        </Card>
      )}

      {step === 2 && job && (
        <Card size="small">
          <Form layout="vertical" style={{ maxWidth: 560 }}>
            <Form.Item label={t('data.mode')}>
              <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as ImportMode)} data-testid="import-mode"
                options={(['create', 'update', 'upsert'] as const).map((m) => ({ value: m, label: t(`data.modes.${m}`), disabled: (m !== 'update' && !caps.create) || (m !== 'create' && !caps.update) }))} />
            </Form.Item>
            <Form.Item label={t('data.matchOn')} extra={t('data.matchOnHelp')} required={mode !== 'create'}>
              <Select allowClear value={matchOn ?? undefined} onChange={(v?: string) => setMatchOn(v ?? null)} style={{ maxWidth: 320 }} data-testid="import-match"
                options={matchable.map((f) => ({ value: f, label: f === 'id' ? t('data.recordId') : fieldLabel(def, f, language) }))} />
            </Form.Item>
            <Form.Item extra={t('data.automationHelp')}>
              <Space><Switch checked={automation} onChange={setAutomation} data-testid="import-automation" />{t('data.automation')}</Space>
            </Form.Item>
            <Space>
              <Button onClick={() => setStep(1)}>{t('data.back')}</Button>
              <Button type="primary" loading={busy} onClick={() => void dryRun()} data-testid="import-dry-run">{t('data.dryRun')}</Button>
            </Space>
          </Form>
        </Card>
      )}

      {step === 3 && job && (
        <Card size="small">
          <Space orientation="vertical" style={{ width: '100%' }}>
            {!job.dryRun?.done ? (
              <><Typography.Text>{t('data.checking')}</Typography.Text><Progress percent={percent('dryRun')} data-testid="import-progress" /></>
            ) : (
              <>
                {counts('dryRun')}
                <RowProblems def={def} rows={shown} testId="dry-run-rows" />
                <Space wrap>
                  <Button onClick={() => setStep(2)}>{t('data.back')}</Button>
                  {failedRows > 0 && <Button onClick={() => void report('dryRun')} data-testid="dry-run-report">{t('data.errorReport')}</Button>}
                  <Button type="primary" loading={busy} disabled={(job.dryRun.counts.create ?? 0) + (job.dryRun.counts.update ?? 0) === 0} onClick={() => void run()} data-testid="import-run">
                    {t('data.runImport', { count: (job.dryRun.counts.create ?? 0) + (job.dryRun.counts.update ?? 0) })}
                  </Button>
                </Space>
              </>
            )}
          </Space>
        </Card>
      )}

      {step === 4 && job && (
        <Card size="small">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text strong data-testid="import-run-state">{job.run?.done ? t('data.done') : t('data.running')}</Typography.Text>
            <Progress percent={percent('run')} status={job.run?.done ? 'success' : 'active'} data-testid="import-progress" />
            {job.run?.done && (
              <>
                {counts('run')}
                <UndoResult job={job} />
                <RowProblems def={def} rows={shown} testId="run-rows" />
                <Space wrap>
                  {failedRows > 0 && <Button onClick={() => void report('run')} data-testid="import-report">{t('data.errorReport')}</Button>}
                  <UndoButton job={job} onDone={(undone) => { setJob(undone); void importRows(undone.id, 'run').then(setRows); }} />
                  <Link to={`/app/o/${def.name}`}><Button>{t('record.backToList')}</Button></Link>
                </Space>
              </>
            )}
          </Space>
        </Card>
      )}
    </Space>
  );
}
