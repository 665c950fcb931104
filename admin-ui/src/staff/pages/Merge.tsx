/**
 * Merging 2–3 records (`/app/o/:object/merge?ids=a,b[,c]`): the user picks the master and, per
 * field that differs, whose value survives (defaults: the master's, or the first other record's
 * where the master's is blank, as the API does). The API's preview says which related records
 * will point to the master; the merge then goes to the surviving record.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert, App, Breadcrumb, Button, Card, Checkbox, Radio, Result, Space, Spin, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import type { MergeAnswer } from '../dataOps';
import { mergeRecords } from '../dataOps';
import { fieldLabel, formatValue, recordName } from '../format';
import type { ApiRecord } from '../staffApi';
import { getRecord } from '../staffApi';

export default function Merge() {
  const { object: name = '' } = useParams();
  const [search] = useSearchParams();
  const { object } = useStaff();
  const { t } = useTranslation('staff');
  const def = object(name);
  const ids = (search.get('ids') ?? '').split(',').filter(Boolean);
  if (!def) return <Result status="404" title={t('record.noObject')} />;
  if (ids.length < 2 || ids.length > 3) return <Result status="warning" title={t('data.mergePick')} />;
  return <MergeOf key={ids.join(',')} def={def} ids={ids} />;
}

const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function MergeOf({ def, ids }: { def: ObjectDef; ids: string[] }) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { can, nameOf, object } = useStaff();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const caps = can(def.name);
  const plural = label(def.pluralLabel ?? def.label, def.name);
  const [records, setRecords] = useState<ApiRecord[] | null>(null);
  const [master, setMaster] = useState(ids[0]!);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<MergeAnswer | null>(null);
  const [error, setError] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  /** Lookups the API cannot follow (no index): named by the preview; merging anyway leaves those references behind. */
  const [unindexed, setUnindexed] = useState<string[]>([]);
  const [skipUnindexed, setSkipUnindexed] = useState(false);

  useEffect(() => {
    Promise.all(ids.map((id) => getRecord(def.name, id))).then(setRecords, (e) => setError([e instanceof Error ? e.message : String(e)]));
  }, [def.name, ids.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps

  // Fields the user may change whose values differ between the records.
  const fields = useMemo(
    () => (records ? def.fields.filter((f) => caps.editable.has(f.name) && records.some((r) => !same(r[f.name], records[0]![f.name]))).map((f) => f.name) : []),
    [records, def, caps.editable],
  );
  // Choosing a master resets the choices to the API's defaults.
  useEffect(() => {
    if (!records) return;
    const m = records.find((r) => r.id === master)!;
    setPicked(Object.fromEntries(fields.map((f) => [f, !blank(m[f]) ? master : (records.find((r) => r.id !== master && !blank(r[f]))?.id ?? master)])));
  }, [records, master, fields]);

  const body = () => {
    const rs = records!;
    return { survivor: { id: master, version: rs.find((r) => r.id === master)!.version }, merged: rs.filter((r) => r.id !== master).map((r) => ({ id: r.id, version: r.version })), values: picked, ...(skipUnindexed ? { skipUnindexed } : {}) };
  };
  useEffect(() => {
    if (!records || Object.keys(picked).length !== fields.length) return;
    let live = true;
    mergeRecords(def.name, { ...body(), preview: true }).then(
      (p) => live && (setPreview(p), setError([])),
      (e) => {
        if (!live) return;
        setPreview(null);
        const lookups = e instanceof ApiError ? e.problems.filter((p) => p.code === 'unindexedLookup').map((p) => String((p as { params?: { lookup?: string } }).params?.lookup ?? p.message)) : [];
        if (lookups.length) return setUnindexed(lookups);
        setError(e instanceof ApiError ? [e.message, ...e.problems.map((p) => p.message)] : [String(e)]);
      },
    );
    return () => void (live = false);
  }, [records, master, picked, skipUnindexed]); // eslint-disable-line react-hooks/exhaustive-deps

  const merge = () =>
    modal.confirm({
      title: t('data.merge'),
      content: t('data.mergeConfirm', { count: ids.length - 1 }),
      okButtonProps: { 'data-testid': 'merge-ok' } as { danger?: boolean },
      onOk: async () => {
        setBusy(true);
        try {
          const survivor = await mergeRecords(def.name, body());
          message.success(t('data.merged'));
          navigate(`/app/o/${def.name}/${survivor.id}`);
        } catch (e) {
          setError(e instanceof ApiError ? [e.message, ...e.problems.map((p) => p.message)] : [String(e)]);
        } finally {
          setBusy(false);
        }
      },
    });

  if (!records) return error.length ? <Result status="error" title={error[0]} /> : <Spin />;
  const repointed = Object.entries(preview?._repointed ?? {});
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to={`/app/o/${def.name}`}>{plural}</Link> }, { title: t('data.merge') }]} />
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="merge-title">{t('data.mergeTitle', { objects: plural })}</Typography.Title>
      {error.length > 0 && <Alert type="error" showIcon title={error[0]} description={error.length > 1 ? <ul style={{ margin: 0 }}>{error.slice(1).map((m, i) => <li key={i}>{m}</li>)}</ul> : undefined} data-testid="merge-problems" />}
      <Card size="small" title={t('data.pickValues')}>
        <Table
          size="small"
          pagination={false}
          rowKey="field"
          scroll={{ x: 'max-content' }}
          data-testid="merge-table"
          dataSource={[{ field: '__master' }, ...fields.map((field) => ({ field }))]}
          columns={[
            { key: 'field', title: '', render: (_, r) => (r.field === '__master' ? <Typography.Text strong>{t('data.master')}</Typography.Text> : <Typography.Text type="secondary">{fieldLabel(def, r.field, language)}</Typography.Text>) },
            ...records.map((rec, i) => ({
              key: rec.id,
              title: <Link to={`/app/o/${def.name}/${rec.id}`} target="_blank">{recordName(def, rec, language)}</Link>,
              render: (_: unknown, r: { field: string }) =>
                r.field === '__master' ? (
                  <Radio checked={master === rec.id} onChange={() => setMaster(rec.id)} data-testid={`master-${i}`} />
                ) : (
                  <Radio checked={picked[r.field] === rec.id} onChange={() => setPicked((p) => ({ ...p, [r.field]: rec.id }))} data-testid={`pick-${r.field}-${i}`}>
                    {formatValue(def.fields.find((f) => f.name === r.field), rec[r.field], language, nameOf) || '—'}
                  </Radio>
                ),
            })),
          ]}
        />
      </Card>
      <Card size="small" data-testid="merge-repointed">
        {repointed.length === 0 ? (
          <Typography.Text type="secondary">{t('data.noRepoint')}</Typography.Text>
        ) : (
          <>
            <Typography.Text>{t('data.repointed')}</Typography.Text>
            <ul style={{ margin: 0 }}>
              {repointed.map(([key, count]) => {
                const [child, field] = key.split('.') as [string, string];
                const childDef = object(child);
                return <li key={key}>{t('data.repointedItem', { count, object: childDef ? label(childDef.pluralLabel ?? childDef.label, child) : child, field: childDef ? fieldLabel(childDef, field, language) : field })}</li>;
              })}
            </ul>
          </>
        )}
        {unindexed.length > 0 && (
          <Alert type="warning" style={{ marginTop: 8 }} data-testid="merge-unindexed" title={t('data.notRepointed', { lookups: unindexed.join(', ') })}
            description={<Checkbox checked={skipUnindexed} onChange={(e) => setSkipUnindexed(e.target.checked)} data-testid="merge-skip-unindexed">{t('data.skipUnindexed')}</Checkbox>} />
        )}
      </Card>
      <Space>
        <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        <Button type="primary" danger loading={busy} disabled={!preview} onClick={merge} data-testid="merge-submit">{t('data.merge')}</Button>
      </Space>
    </Space>
  );
}
