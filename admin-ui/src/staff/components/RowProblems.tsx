/** An import's rows worth a look — row number, outcome, each problem at its field's label, duplicates found — as a table. */
import { Link } from 'react-router';
import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import type { RowOutcome } from '../dataOps';
import { pointerLabel } from '../importModel';

const COLOURS: Record<string, string> = { fail: 'red', failed: 'red', skip: 'default', skipped: 'default', create: 'green', created: 'green', update: 'blue', updated: 'blue' };

export function RowProblems({ def, rows, testId }: { def: ObjectDef; rows: readonly RowOutcome[]; testId: string }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const lines = (r: RowOutcome) => {
    const out: React.ReactNode[] = [];
    for (const e of r.problem?.errors ?? []) {
      const field = pointerLabel(def, e.pointer, language);
      out.push(<span>{field && <Typography.Text strong>{field}: </Typography.Text>}{e.message}</span>);
    }
    if (r.problem && !r.problem.errors?.length) out.push(r.problem.detail ?? r.problem.title ?? r.problem.code);
    if (r.reason) out.push(t(`data.reasons.${r.reason}` as 'data.reasons.exists', { defaultValue: r.reason }));
    for (const d of r.fileDuplicates ?? []) out.push(<Typography.Text type="warning">{t('data.inFile', { rows: d.row, rule: d.rule })}</Typography.Text>);
    const alike = r.duplicates ?? [];
    if (alike.length) {
      out.push(
        <Typography.Text type="warning">
          {t('data.alike', { rule: alike[0]!.rule })}
          {alike.map((d, i) => <span key={d.id}>{i ? ', ' : ' '}<Link to={`/app/o/${def.name}/${d.id}`} target="_blank">{d.name === undefined ? d.id : String(d.name)}</Link></span>)}
        </Typography.Text>,
      );
    }
    if (r.undo && r.undo.outcome !== 'deleted' && r.undo.outcome !== 'restored') out.push(<Tag color="orange">{r.undo.outcome}</Tag>);
    return out;
  };
  if (rows.length === 0) return <Typography.Text type="success" data-testid={testId}>{t('data.noProblems')}</Typography.Text>;
  return (
    <Table<RowOutcome>
      size="small"
      data-testid={testId}
      title={() => <Typography.Text strong>{t('data.problemsTitle')}</Typography.Text>}
      rowKey="row"
      dataSource={[...rows]}
      pagination={rows.length > 50 ? { pageSize: 50 } : false}
      scroll={{ x: 'max-content' }}
      columns={[
        { key: 'row', title: t('data.row'), dataIndex: 'row', width: 64 },
        { key: 'outcome', title: t('data.outcome'), render: (_, r) => <Tag color={COLOURS[r.outcome]}>{r.outcome}</Tag> },
        { key: 'problems', title: t('data.problems'), render: (_, r) => <ul style={{ margin: 0, paddingInlineStart: 16 }} data-testid="row-problems">{lines(r).map((l, i) => <li key={i}>{l}</li>)}</ul> },
      ]}
    />
  );
}
