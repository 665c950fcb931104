/**
 * The visual condition builder: react-querybuilder with antd controls, reading and writing
 * json-rules-engine JSON through `rules/conditionQuery.ts`. Fields come with the operators
 * the engine accepts for them and an input for their values; every problem — the engine's
 * own check, live, and the API's after a save — is shown at the row it is about.
 */
import { createContext, useContext, useMemo, useState } from 'react';
import { Checkbox, Input, Select, Space, Typography } from 'antd';
import { QueryBuilderAntD } from '@react-querybuilder/antd';
import { QueryBuilder } from 'react-querybuilder';
import type { Field, FieldSelectorProps, FullOperator, NotToggleProps, OperatorSelectorProps, OptionGroup, ValueEditorProps } from 'react-querybuilder';
import 'react-querybuilder/dist/query-builder.css';
import { useTranslation } from 'react-i18next';
import { RAW_FIELD, problemsByNode, toJson, toQuery } from '../../rules/conditionQuery';
import type { ConditionGroup, NodeProblem } from '../../rules/conditionQuery';
import { comparableFacts, conditionProblems, defaultValue, factsOf, operandOf, operatorsFor } from '../../rules/facts';
import type { Fact } from '../../rules/facts';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { ValueInput } from './ValueInput';
import type { ValueSources } from './ValueInput';

interface Props {
  readonly object: ObjectDef;
  readonly value: unknown;
  readonly onChange: (conditions: unknown) => void;
  readonly sources: ValueSources;
  /** Problems the API reported, pointers relative to these conditions (shown until the next change). */
  readonly problems?: readonly NodeProblem[];
  readonly testId?: string;
}

interface RowContext {
  readonly facts: ReadonlyMap<string, Fact>;
  readonly all: readonly Fact[];
  readonly sources: ValueSources;
  readonly problems: ReadonlyMap<string, NodeProblem[]>;
}

const Rows = createContext<RowContext | null>(null);

function ConditionValue(props: ValueEditorProps) {
  const { t } = useTranslation();
  const ctx = useContext(Rows)!;
  const key = props.path.join('-');
  const problems = ctx.problems.get(key) ?? [];
  const status = problems.length ? ('error' as const) : undefined;
  const fact = ctx.facts.get(props.field);
  const testId = `condition-value-${key}`;
  let editor;
  if (props.field === RAW_FIELD) {
    editor = <Input.TextArea data-testid={testId} status={status} autoSize={{ minRows: 1, maxRows: 8 }} style={{ minWidth: 320, fontFamily: 'monospace' }}
      value={String(props.value ?? '')} onChange={(e) => props.handleOnChange(e.target.value)} />;
  } else if (props.valueSource === 'field') {
    const options = comparableFacts(ctx.all.filter((f) => !f.key.includes('.')), fact?.input ?? 'text').map((f) => ({ value: f.key, label: f.label }));
    editor = <Select data-testid={testId} status={status} style={{ minWidth: 180 }} showSearch optionFilterProp="label" value={(props.value as string) || undefined}
      onChange={(v) => props.handleOnChange(v)} options={options} placeholder={t('rules.pickField')} />;
  } else if (operandOf(props.operator) === 'flag') {
    editor = <Select data-testid={testId} status={status} style={{ minWidth: 140 }} value={props.value !== false}
      onChange={(v) => props.handleOnChange(v)} options={[{ value: true, label: t('rules.blankYes') }, { value: false, label: t('rules.blankNo') }]} />;
  } else {
    editor = <ValueInput input={fact?.input ?? 'text'} choices={fact?.choices} sources={ctx.sources} value={props.value} status={status} testId={testId}
      multiple={operandOf(props.operator) === 'list'} onChange={(v) => props.handleOnChange(v)} />;
  }
  return (
    <Space orientation="vertical" size={0}>
      {editor}
      {problems.map((p, i) => <Typography.Text key={i} type="danger" data-testid={`condition-problem-${key}`}>{p.message}</Typography.Text>)}
    </Space>
  );
}

type Listed = { name?: string; value?: string; label: string; options?: readonly Listed[] };
/** RQB's option lists (flat or grouped) as antd Select options. */
const selectOptions = (options: readonly unknown[]) => (options as Listed[]).map((o) => (o.options
  ? { label: o.label, options: o.options.map((c) => ({ value: c.value ?? c.name ?? '', label: c.label })) }
  : { value: o.value ?? o.name ?? '', label: o.label }));

/** The fact and operator of a row: searchable, every option rendered (no virtual list), test ids by row. */
function FactSelector({ options, value, handleOnChange, path, title }: FieldSelectorProps) {
  return <Select data-testid={`condition-field-${path.join('-')}`} title={title} showSearch optionFilterProp="label" virtual={false} popupMatchSelectWidth={false}
    style={{ minWidth: 180 }} value={value} onChange={(v) => handleOnChange(v)} options={selectOptions(options)} />;
}
function OperatorSelector({ options, value, handleOnChange, path, title }: OperatorSelectorProps) {
  return <Select data-testid={`condition-operator-${path.join('-')}`} title={title} showSearch optionFilterProp="label" virtual={false} popupMatchSelectWidth={false}
    style={{ minWidth: 140 }} value={value} onChange={(v) => handleOnChange(v)} options={selectOptions(options)} />;
}

/** "Not" as a labelled checkbox (the antd compat switch shows "=" when off). */
function NotToggle({ checked, handleOnChange, label, title, path }: NotToggleProps) {
  return <Checkbox checked={!!checked} title={title} onChange={(e) => handleOnChange(e.target.checked)} data-testid={`condition-not-${path.join('-')}`}>{label}</Checkbox>;
}

export function ConditionBuilder({ object, value, onChange, sources, problems, testId }: Props) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  // The builder owns its query from here on (ids, paths); the JSON is written from it on every change.
  const [query, setQuery] = useState<ConditionGroup>(() => toQuery(value));
  // The API's problems belong to the conditions as saved: shown until the conditions differ from them.
  const [saved] = useState(() => JSON.stringify(value));
  const [touched, setTouched] = useState(false);
  const facts = useMemo(() => factsOf(object, { label: (l, f) => label(l, f), text: (k) => t(`rules.facts.${k}`) }), [object, label, t]);
  const byKey = useMemo(() => new Map(facts.map((f) => [f.key, f])), [facts]);
  const fields = useMemo<Array<OptionGroup<Field>>>(() => {
    const group = (g: Fact['group']) => facts.filter((f) => f.group === g).map((f) => ({ name: f.key, value: f.key, label: f.label }));
    return [
      { label: t('rules.factGroups.field'), options: group('field') },
      { label: t('rules.factGroups.previous'), options: group('previous') },
      { label: t('rules.factGroups.context'), options: [...group('context'), { name: RAW_FIELD, value: RAW_FIELD, label: t('rules.json') }] },
    ];
  }, [facts, t]);
  const json = useMemo(() => toJson(query), [query]);
  const live = useMemo(() => conditionProblems(json ?? { all: [] }, object, '').map((p) => ({ pointer: p.path, message: p.message, code: p.code })), [json, object]);
  const placed = useMemo(() => problemsByNode(query, [...live, ...(touched ? [] : (problems ?? []).filter((p) => !live.some((l) => l.pointer === p.pointer)))]), [query, live, problems, touched]);
  const groupProblems = placed.get('') ?? [];
  const operators = (field: string): FullOperator[] => field === RAW_FIELD
    ? [{ name: 'json', value: 'json', label: 'JSON' }]
    : operatorsFor(object, field).map((op) => ({ name: op, value: op, label: t(`rules.operators.${op}`) }));

  return (
    <div data-testid={testId} className="tessera-conditions">
      <Rows.Provider value={{ facts: byKey, all: facts, sources, problems: placed }}>
        <QueryBuilderAntD>
          <QueryBuilder
            fields={fields}
            query={query}
            onQueryChange={(q) => {
              const next = toJson(q as ConditionGroup);
              setQuery(q as ConditionGroup);
              setTouched(JSON.stringify(next) !== saved);
              onChange(next);
            }}
            combinators={[{ name: 'all', value: 'all', label: t('rules.all') }, { name: 'any', value: 'any', label: t('rules.any') }]}
            getOperators={(field) => operators(field)}
            getValueSources={(field, operator) => (field !== RAW_FIELD && operandOf(operator) === 'one'
              ? [{ name: 'value', value: 'value', label: t('rules.sourceValue') }, { name: 'field', value: 'field', label: t('rules.sourceField') }]
              : [{ name: 'value', value: 'value', label: t('rules.sourceValue') }])}
            getDefaultValue={(rule) => defaultValue(byKey.get(rule.field)?.input ?? 'text', rule.operator)}
            getDefaultOperator={(field) => operators(field)[0]?.name ?? 'equal'}
            getDefaultField={() => facts[0]?.key ?? ''}
            controlElements={{ valueEditor: ConditionValue, notToggle: NotToggle, fieldSelector: FactSelector, operatorSelector: OperatorSelector }}
            translations={{
              addRule: { label: t('rules.addCondition'), title: t('rules.addCondition') },
              addGroup: { label: t('rules.addGroup'), title: t('rules.addGroup') },
              removeRule: { label: '⨯', title: t('rules.remove') },
              removeGroup: { label: '⨯', title: t('rules.remove') },
              notToggle: { label: t('rules.not'), title: t('rules.notTitle') },
              valueSourceSelector: { title: t('rules.valueSource') },
            }}
            showNotToggle
            resetOnFieldChange
            resetOnOperatorChange
          />
        </QueryBuilderAntD>
      </Rows.Provider>
      {groupProblems.map((p, i) => <Typography.Text key={i} type="danger" style={{ display: 'block' }}>{p.pointer ? <code>{p.pointer} </code> : null}{p.message}</Typography.Text>)}
    </div>
  );
}
