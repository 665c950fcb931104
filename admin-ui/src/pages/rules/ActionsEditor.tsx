/**
 * An automation rule's ordered actions — set a field, assign, create a record, notify, call a
 * webhook, perform a workflow transition — dragged into order, each with inputs that fit the
 * field it writes. Problems appear on the action (and the input) they name.
 */
import { Button, Card, Checkbox, Form, InputNumber, Radio, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { below, statusAt } from '../../editing';
import type { PlacedProblem } from '../../editing';
import { inputOf } from '../../rules/facts';
import { emptyAction, writableFields } from '../../rules/ruleDrafts';
import type { ActionType } from '../../rules/ruleDrafts';
import type { ActionValue, AutomationActionDef, DurationDef, FieldDef, MetadataBundle, ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { SortableList } from '../SortableList';
import { AssigneeEditor } from './AssigneeEditor';
import { LabelsInput } from './common';
import { ValueInput } from './ValueInput';
import type { ValueSources } from './ValueInput';

interface Props {
  readonly actions: AutomationActionDef[];
  readonly onChange: (actions: AutomationActionDef[]) => void;
  readonly object: ObjectDef;
  readonly bundle: MetadataBundle;
  readonly sources: ValueSources;
  /** Action types offered (a before-save rule only sets fields and assigns). */
  readonly types: readonly ActionType[];
  /** Problems with pointers relative to the actions list (`0/field`). */
  readonly problems: readonly PlacedProblem[];
}

export function ActionsEditor({ actions, onChange, object, bundle, sources, types, problems }: Props) {
  const { t } = useTranslation();
  const update = (i: number, action: AutomationActionDef) => onChange(actions.map((a, j) => (j === i ? action : a)));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <SortableList items={actions} onChange={onChange} testId="actions" render={(action, i, handle, remove) => {
        const mine = below(problems, String(i));
        return (
          <Card size="small" data-testid={`action-${i}`} title={<Space>{handle}<Tag>{i + 1}</Tag>
            <Select style={{ width: 200 }} value={action.type} onChange={(type: ActionType) => update(i, emptyAction(type, object, bundle))} data-testid={`action-${i}-type`}
              options={[...new Set([...types, action.type as ActionType])].map((type) => ({ value: type, label: t(`rules.actionTypes.${type}`) }))} status={statusAt(mine, 'type').validateStatus} />
          </Space>} extra={<Button size="small" type="text" danger onClick={remove}>{t('editor.remove')}</Button>}>
            <ActionBody action={action} onChange={(a) => update(i, a)} object={object} bundle={bundle} sources={sources} problems={mine} index={i} />
            {mine.filter((p) => p.rest === '' || p.rest === 'type').map((p, k) => <Typography.Text key={k} type="danger" style={{ display: 'block' }}>{p.message}</Typography.Text>)}
          </Card>
        );
      }} />
      <Select placeholder={t('rules.addAction')} style={{ width: 240 }} value={null} data-testid="add-action"
        onChange={(type: ActionType) => onChange([...actions, emptyAction(type, object, bundle)])}
        options={types.map((type) => ({ value: type, label: t(`rules.actionTypes.${type}`) }))} />
    </Space>
  );
}

interface BodyProps {
  readonly action: AutomationActionDef;
  readonly onChange: (action: AutomationActionDef) => void;
  readonly object: ObjectDef;
  readonly bundle: MetadataBundle;
  readonly sources: ValueSources;
  readonly problems: readonly PlacedProblem[];
  readonly index: number;
}

function ActionBody({ action, onChange, object, bundle, sources, problems, index }: BodyProps) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const fieldSelect = (of: ObjectDef | undefined, value: string | undefined, set: (f: string) => void, testId?: string) => (
    <Select style={{ width: 240 }} showSearch optionFilterProp="label" value={value || undefined} onChange={set} data-testid={testId}
      options={writableFields(of).map((f) => ({ value: f.name, label: `${label(f.label, f.name)} (${f.name})` }))} />
  );
  switch (action.type) {
    case 'setField': {
      const target = object.fields.find((f) => f.name === action.field);
      return (
        <Space wrap align="start">
          <Form.Item label={t('rules.setFieldTo')} style={{ marginBottom: 0 }} {...statusAt(problems, 'field')}>
            {fieldSelect(object, action.field, (field) => onChange({ ...action, field, to: { value: null } }), `action-${index}-field`)}
          </Form.Item>
          {target && <ActionValueInput target={target} source={object} value={action.to} onChange={(to) => onChange({ ...action, to })} sources={sources} problems={below(problems, 'to')} testId={`action-${index}-value`} />}
        </Space>
      );
    }
    case 'assign':
      return <AssigneeEditor value={action.assignee} onChange={(assignee) => onChange({ ...action, assignee })} object={object} sources={sources} problems={below(problems, 'assignee')} />;
    case 'createRecord': {
      const created = bundle.objects.find((o) => o.name === action.object);
      const entries = Object.entries(action.values);
      return (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Form.Item label={t('rules.createObject')} style={{ marginBottom: 0 }} {...statusAt(problems, 'object')}>
            <Select style={{ width: 280 }} showSearch optionFilterProp="label" value={action.object || undefined}
              onChange={(o: string) => onChange(emptyAction('createRecord', object, bundle, o) as AutomationActionDef)}
              options={bundle.objects.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />
          </Form.Item>
          {entries.map(([name, to]) => {
            const target = created?.fields.find((f) => f.name === name);
            return (
              <Space key={name} wrap align="start">
                <Tag style={{ minWidth: 160 }}>{target ? label(target.label, name) : name}</Tag>
                {target ? <ActionValueInput target={target} source={object} value={to} sources={sources} problems={below(problems, `values/${name}`)}
                  onChange={(v) => onChange({ ...action, values: { ...action.values, [name]: v } })} /> : <Typography.Text type="danger">{t('rules.unknownField')}</Typography.Text>}
                <Button size="small" type="text" danger onClick={() => { const { [name]: _gone, ...values } = action.values; onChange({ ...action, values }); }}>⨯</Button>
              </Space>
            );
          })}
          {created && (
            <Select placeholder={t('rules.addValue')} style={{ width: 240 }} value={null} showSearch optionFilterProp="label"
              onChange={(f: string) => onChange({ ...action, values: { ...action.values, [f]: { value: null } } })}
              options={writableFields(created).filter((f) => !(f.name in action.values)).map((f) => ({ value: f.name, label: `${label(f.label, f.name)} (${f.name})` }))} />
          )}
          {statusAt(problems, 'values').help && <Typography.Text type="danger">{problems.filter((p) => p.rest === 'values').map((p) => p.message).join('; ')}</Typography.Text>}
        </Space>
      );
    }
    case 'notify': {
      const encode = (to: (typeof action.to)[number]) => ('owner' in to ? 'owner' : 'ownerManager' in to ? 'ownerManager' : 'role' in to ? `role:${to.role}` : `user:${to.user}`);
      const decode = (s: string): (typeof action.to)[number] => (s === 'owner' ? { owner: true } : s === 'ownerManager' ? { ownerManager: true } : s.startsWith('role:') ? { role: s.slice(5) } : { user: s.slice(5) });
      return (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Form.Item label={t('rules.notifyWho')} style={{ marginBottom: 0 }} {...statusAt(problems, 'to')}>
            <Select mode="multiple" style={{ width: '100%' }} optionFilterProp="label" value={action.to.map(encode)} onChange={(v: string[]) => onChange({ ...action, to: v.map(decode) })}
              options={[
                { value: 'owner', label: t('rules.recipients.owner') },
                { value: 'ownerManager', label: t('rules.recipients.ownerManager') },
                ...sources.roles.map((r) => ({ value: `role:${r.value}`, label: `${t('rules.role')}: ${r.label}` })),
                ...sources.users.map((u) => ({ value: `user:${u.email ?? u.id}`, label: `${t('rules.user')}: ${u.name}` })),
              ]} />
          </Form.Item>
          <Form.Item label={t('rules.notifyMessage')} style={{ marginBottom: 0 }} {...statusAt(problems, 'message')}>
            <LabelsInput value={action.message} onChange={(message) => onChange({ ...action, message })} />
          </Form.Item>
        </Space>
      );
    }
    case 'webhook':
      return (
        <Form.Item label={t('rules.webhook')} style={{ marginBottom: 0 }} {...statusAt(problems, 'webhook')}>
          <Select style={{ width: 280 }} value={action.webhook || undefined} onChange={(webhook: string) => onChange({ ...action, webhook })}
            options={(bundle.webhooks ?? []).map((w) => ({ value: w.name, label: `${w.name} → ${w.url}` }))} />
        </Form.Item>
      );
    default: {
      // A workflow transition (issue 6's metadata): the object's workflow names them.
      const loose = action as unknown as { type: string; transition?: string };
      if (loose.type !== 'transition') return <Typography.Text code>{JSON.stringify(action)}</Typography.Text>;
      const workflows = (bundle as { workflows?: Array<{ object: string; active?: boolean; transitions: Array<{ name: string; label?: Record<string, string> }> }> }).workflows ?? [];
      const transitions = workflows.find((w) => w.object === object.name && w.active !== false)?.transitions ?? [];
      return (
        <Form.Item label={t('rules.transition')} style={{ marginBottom: 0 }} {...statusAt(problems, 'transition')}>
          <Select style={{ width: 280 }} value={loose.transition || undefined} onChange={(transition: string) => onChange({ ...loose, transition } as unknown as AutomationActionDef)}
            options={transitions.map((tr) => ({ value: tr.name, label: `${label(tr.label, tr.name)} (${tr.name})` }))} />
        </Form.Item>
      );
    }
  }
}

interface ValueProps {
  readonly target: FieldDef;
  /** The object whose record triggered the rule: `field` values are read from it. */
  readonly source: ObjectDef;
  readonly value: ActionValue;
  readonly onChange: (value: ActionValue) => void;
  readonly sources: ValueSources;
  readonly problems: readonly PlacedProblem[];
  readonly testId?: string;
}

/** A value an action writes: a literal that fits the target field, another field of the record, or a time (date fields). */
export function ActionValueInput({ target, source, value, onChange, sources, problems, testId }: ValueProps) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const mode = 'field' in value ? 'field' : 'now' in value ? 'now' : 'value';
  const isDate = target.type === 'date' || target.type === 'datetime';
  const input = inputOf(target);
  const choices = target.type === 'picklist' || target.type === 'multi-picklist' ? target.options.map((o) => ({ value: o.value, label: label(o.label, o.value) })) : undefined;
  const offset = 'now' in value ? value.offset ?? {} : {};
  const setOffset = (patch: Partial<DurationDef>) => {
    const next: DurationDef = { ...offset, ...patch };
    for (const k of Object.keys(next) as Array<keyof DurationDef>) if (next[k] === undefined || next[k] === null || next[k] === false) delete next[k];
    onChange(Object.keys(next).length ? { now: true, offset: next } : { now: true });
  };
  return (
    <Space wrap align="start">
      <Radio.Group size="small" value={mode} optionType="button" onChange={(e) => onChange(e.target.value === 'field' ? { field: '' } : e.target.value === 'now' ? { now: true } : { value: null })}
        options={[{ value: 'value', label: t('rules.valueModes.value') }, { value: 'field', label: t('rules.valueModes.field') }, ...(isDate ? [{ value: 'now', label: t('rules.valueModes.now') }] : [])]} />
      <Form.Item style={{ marginBottom: 0 }} {...statusAt(problems, mode)} {...(mode === 'now' ? statusAt(problems, '') : {})}>
        {mode === 'value' && 'value' in value && (
          <ValueInput input={input} choices={choices} sources={sources} value={value.value} multiple={target.type === 'multi-picklist'} testId={testId}
            onChange={(v) => onChange({ value: v === '' ? null : v })} />
        )}
        {mode === 'field' && 'field' in value && (
          <Select style={{ width: 220 }} showSearch optionFilterProp="label" value={value.field || undefined} onChange={(field: string) => onChange({ field })}
            options={source.fields.map((f) => ({ value: f.name, label: `${label(f.label, f.name)} (${f.name})` }))} />
        )}
        {mode === 'now' && (
          <Space>
            <InputNumber min={0} addonAfter={t('rules.days')} value={offset.days} onChange={(days) => setOffset({ days: days ?? undefined })} style={{ width: 120 }} />
            <InputNumber min={0} addonAfter={t('rules.hours')} value={offset.hours} onChange={(hours) => setOffset({ hours: hours ?? undefined })} style={{ width: 120 }} />
            <Checkbox checked={offset.business === true} onChange={(e) => setOffset({ business: e.target.checked || undefined })}>{t('rules.business')}</Checkbox>
          </Space>
        )}
      </Form.Item>
    </Space>
  );
}
