/** Pieces every rule editor uses: translated-text inputs, the value sources of an object, problems outside any input. */
import { useMemo } from 'react';
import { Alert, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../../draft';
import { useDirectory } from '../../editing';
import type { PlacedProblem } from '../../editing';
import type { Labels, ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import type { ValueSources } from './ValueInput';

/** English and Chinese text side by side. */
export function LabelsInput({ value, onChange, testId, status }: { value: Labels | undefined; onChange: (labels: Labels) => void; testId?: string; status?: 'error' | undefined }) {
  const set = (lang: 'en' | 'zh-CN', text: string) => {
    const next: Labels = { ...value, [lang]: text };
    if (!text) delete next[lang];
    onChange(next);
  };
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input status={status} prefix="EN" data-testid={testId ? `${testId}-en` : undefined} value={value?.en ?? ''} onChange={(e) => set('en', e.target.value)} />
      <Input status={status} prefix="中文" data-testid={testId ? `${testId}-zh` : undefined} value={value?.['zh-CN'] ?? ''} onChange={(e) => set('zh-CN', e.target.value)} />
    </Space.Compact>
  );
}

/** Users, teams, roles and the object's fields, as value inputs offer them. */
export function useValueSources(object: ObjectDef | undefined): ValueSources {
  const { draft } = useDraft();
  const { label } = useLanguage();
  const { users, teams } = useDirectory();
  const roles = draft?.bundle.roles;
  return useMemo(() => ({
    users,
    teams,
    roles: [{ value: 'admin', label: 'admin' }, ...(roles ?? []).map((r) => ({ value: r.name, label: `${label(r.label, r.name)} (${r.name})` }))],
    fields: (object?.fields ?? []).map((f) => ({ value: f.name, label: `${label(f.label, f.name)} (${f.name})` })),
  }), [users, teams, roles, object, label]);
}

/** Problems no input of the editor claims, listed with their place. */
export function OtherProblems({ problems, claimed }: { problems: readonly PlacedProblem[]; claimed: readonly string[] }) {
  const { t } = useTranslation();
  const rest = problems.filter((p) => !claimed.some((k) => p.rest === k || p.rest.startsWith(`${k}/`)));
  if (!rest.length) return null;
  return <Alert type="error" title={t('rules.problems')} data-testid="rule-problems"
    description={<ul style={{ margin: 0 }}>{rest.map((p, i) => <li key={i}>{p.rest && <code>{p.rest} </code>}{p.message}</li>)}</ul>} />;
}

/** Fields and system fields of an object as select options. */
export function fieldOptions(object: ObjectDef | undefined, label: (l: Labels | undefined, f: string) => string, filter: (f: ObjectDef['fields'][number]) => boolean = () => true) {
  return (object?.fields ?? []).filter(filter).map((f) => ({ value: f.name, label: `${label(f.label, f.name)} (${f.name})` }));
}
