/** A field's conditional logic (`when`): required, read-only or visible only while conditions hold — each built with the condition builder. Loaded with the setting. */
import { Collapse, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ObjectDef, RuleConditions } from '../../../functions/engine/metadata/types';
import { ConditionBuilder } from './rules/ConditionBuilder';
import { useValueSources } from './rules/common';

type When = { required?: RuleConditions; readOnly?: RuleConditions; visible?: RuleConditions };
const KINDS = ['required', 'readOnly', 'visible'] as const;

interface Props {
  readonly value: When | undefined;
  readonly onChange: (when: When | undefined) => void;
  readonly object: ObjectDef;
  /** Problems by setting below the field (`when/required/all/0/value`). */
  readonly problems: ReadonlyArray<{ setting: string; message: string; code?: string }>;
}

export default function FieldLogic({ value, onChange, object, problems }: Props) {
  const { t } = useTranslation();
  const sources = useValueSources(object);
  const set = (kind: (typeof KINDS)[number], conditions: unknown) => {
    const next: When = { ...value };
    if (conditions === undefined) delete next[kind];
    else next[kind] = conditions as RuleConditions;
    onChange(Object.keys(next).length ? next : undefined);
  };
  return (
    <Collapse size="small" data-testid="field-logic" defaultActiveKey={KINDS.filter((k) => value?.[k])} items={KINDS.map((kind) => {
      const mine = problems.filter((p) => p.setting === `when/${kind}` || p.setting.startsWith(`when/${kind}/`)).map((p) => ({ ...p, pointer: p.setting.slice(`when/${kind}`.length) }));
      return {
        key: kind,
        label: <span>{t(`fieldLogic.${kind}`)} {value?.[kind] && <Tag color="blue">{t('fieldLogic.set')}</Tag>}{mine.length > 0 && <Tag color="red">{mine.length}</Tag>}</span>,
        children: <ConditionBuilder object={object} value={value?.[kind]} sources={sources} problems={mine} onChange={(c) => set(kind, c)} />,
      };
    })} />
  );
}
