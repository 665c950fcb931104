/** Who an assignment gives a record to: a user, a queue (team), in turn or least-loaded over a role or team, or the owner's manager. */
import { Form, Radio, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { statusAt } from '../../editing';
import type { PlacedProblem } from '../../editing';
import { below } from '../../editing';
import type { AssigneeDef, ObjectDef } from '../../types';
import { ConditionBuilder } from './ConditionBuilder';
import type { ValueSources } from './ValueInput';

export const ASSIGNEE_TYPES = ['user', 'queue', 'roundRobin', 'leastLoaded', 'ownerManager'] as const;

/** A fresh assignee of a type, keeping the role or team of the one it replaces where it fits. */
export function assigneeOf(type: AssigneeDef['type'], previous?: AssigneeDef): AssigneeDef {
  const role = previous && 'role' in previous ? previous.role : undefined;
  const team = previous && 'team' in previous ? previous.team : undefined;
  switch (type) {
    case 'user': return { type, user: '' };
    case 'queue': return { type, team: team ?? '' };
    case 'roundRobin': return team && !role ? { type, team } : { type, role: role ?? '' };
    case 'leastLoaded': return team && !role ? { type, team } : { type, role: role ?? '' };
    default: return { type: 'ownerManager' };
  }
}

interface Props {
  readonly value: AssigneeDef;
  readonly onChange: (assignee: AssigneeDef) => void;
  readonly object: ObjectDef;
  readonly sources: ValueSources;
  /** Problems with pointers relative to the assignee. */
  readonly problems: readonly PlacedProblem[];
  readonly testId?: string;
}

export function AssigneeEditor({ value, onChange, object, sources, problems, testId }: Props) {
  const { t } = useTranslation();
  const over = 'role' in value && value.role !== undefined ? 'role' : 'team' in value && value.team !== undefined ? 'team' : 'role';
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={testId}>
      <Space wrap align="start">
        <Form.Item label={t('rules.assigneeType')} style={{ marginBottom: 0 }} {...statusAt(problems, 'type')}>
          <Select style={{ width: 200 }} value={value.type} onChange={(type: AssigneeDef['type']) => onChange(assigneeOf(type, value))} data-testid={testId ? `${testId}-type` : undefined}
            options={ASSIGNEE_TYPES.map((type) => ({ value: type, label: t(`rules.assignees.${type}`) }))} />
        </Form.Item>
        {value.type === 'user' && (
          <Form.Item label={t('rules.user')} style={{ marginBottom: 0 }} {...statusAt(problems, 'user')}>
            <Select style={{ width: 280 }} showSearch optionFilterProp="label" value={value.user || undefined} onChange={(user: string) => onChange({ ...value, user })} data-testid={testId ? `${testId}-user` : undefined}
              options={sources.users.map((u) => ({ value: u.email ?? u.id, label: u.email ? `${u.name} <${u.email}>` : u.name }))} />
          </Form.Item>
        )}
        {value.type === 'queue' && (
          <Form.Item label={t('rules.team')} style={{ marginBottom: 0 }} {...statusAt(problems, 'team')}>
            <Select style={{ width: 240 }} showSearch value={value.team || undefined} onChange={(team: string) => onChange({ ...value, team })} options={sources.teams.map((tm) => ({ value: tm.name, label: tm.name }))} />
          </Form.Item>
        )}
        {(value.type === 'roundRobin' || value.type === 'leastLoaded') && (
          <>
            <Form.Item label={t('rules.over')} style={{ marginBottom: 0 }}>
              <Radio.Group value={over} onChange={(e) => {
                const { role: _r, team: _t, ...rest } = value as { role?: string; team?: string } & AssigneeDef;
                onChange({ ...rest, ...(e.target.value === 'role' ? { role: '' } : { team: '' }) } as AssigneeDef);
              }} options={[{ value: 'role', label: t('rules.role') }, { value: 'team', label: t('rules.team') }]} />
            </Form.Item>
            {over === 'role' ? (
              <Form.Item label={t('rules.role')} style={{ marginBottom: 0 }} {...statusAt(problems, 'role')}>
                <Select style={{ width: 240 }} showSearch optionFilterProp="label" value={value.role || undefined} onChange={(role: string) => onChange({ ...value, role })} options={[...sources.roles]}
                  data-testid={testId ? `${testId}-role` : undefined} />
              </Form.Item>
            ) : (
              <Form.Item label={t('rules.team')} style={{ marginBottom: 0 }} {...statusAt(problems, 'team')}>
                <Select style={{ width: 240 }} showSearch value={value.team || undefined} onChange={(team: string) => onChange({ ...value, team })} options={sources.teams.map((tm) => ({ value: tm.name, label: tm.name }))} />
              </Form.Item>
            )}
          </>
        )}
      </Space>
      {value.type === 'leastLoaded' && (
        <Form.Item label={t('rules.openWhen')} extra={t('rules.openHelp')} style={{ marginBottom: 0 }}>
          <ConditionBuilder object={object} value={value.open} sources={sources} problems={below(problems, 'open')}
            onChange={(open) => { const { open: _o, ...rest } = value; onChange(open === undefined ? rest : { ...rest, open: open as Record<string, unknown> }); }} />
        </Form.Item>
      )}
    </Space>
  );
}
