/** The settings panel of one field: common settings, then those of its type as the meta-schema lists them. */
import { Suspense, lazy } from 'react';
import { Divider, Form, Input, InputNumber, Select, Spin, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { FIELD_TYPES, changeType, hasSetting, settingsOf } from '../fieldSettings';
import type { DraftField, FieldType, Setting } from '../fieldSettings';
import type { Problem, ProblemPlace } from '../pointers';
import type { FormulaField, MetadataBundle, ObjectDef, PicklistOption, RollupField } from '../types';
import { useLanguage } from '../useLanguage';
import { PicklistOptions } from './PicklistOptions';
import { RollupSetting } from './RollupSettings';

// The formula editor brings the engine's parser and type checker: loaded when a formula is edited.
const FormulaEditor = lazy(() => import('./FormulaEditor'));
// Conditional logic uses the condition builder (react-querybuilder): loaded when a field is edited.
const FieldLogic = lazy(() => import('./FieldLogic'));

interface Props {
  readonly field: DraftField;
  readonly onChange: (field: DraftField) => void;
  readonly problems: ReadonlyArray<Problem & ProblemPlace>;
  readonly objects: readonly ObjectDef[];
  /** The object the field belongs to, as edited (formulas are checked against it). */
  readonly object?: ObjectDef;
  /** The draft's bundle (parent paths of formulas). */
  readonly bundle?: MetadataBundle;
}

/** Messages by the first token of the setting path (`options/1/value` → `options`). */
function bySetting(problems: Props['problems']): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of problems) {
    // A problem at one option is shown on that option's row (optionProblems), not on the whole list.
    if (/^options\/\d+/.test(p.setting)) continue;
    const key = p.setting.split('/')[0] ?? '';
    map.set(key, [...(map.get(key) ?? []), p.message]);
  }
  return map;
}

function optionProblems(problems: Props['problems']): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const p of problems) {
    const m = /^options\/(\d+)/.exec(p.setting);
    if (m) map.set(Number(m[1]), [...(map.get(Number(m[1])) ?? []), p.message]);
  }
  return map;
}

export function FieldSettings({ field, onChange, problems, objects, object, bundle }: Props) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const errors = bySetting(problems);
  const set = (key: string, value: unknown) => onChange({ ...field, [key]: value });
  const at = (key: string) => {
    const messages = errors.get(key);
    return messages ? { validateStatus: 'error' as const, help: messages.join('; ') } : {};
  };
  const labels = (key: 'label' | 'help') => (field[key] ?? {}) as Record<string, string | undefined>;
  const options = (field.options ?? []) as PicklistOption[];

  const input = (s: Setting) => {
    const value = field[s.key];
    if (field.type === 'formula' && s.key === 'expression' && object) {
      return (
        <Suspense fallback={<Spin />}>
          <FormulaEditor field={field as unknown as FormulaField} object={object} bundle={bundle ?? { objects: [...objects] }} onChange={(e) => set('expression', e)} status={errors.has('expression') ? 'error' : undefined} />
        </Suspense>
      );
    }
    if (field.type === 'rollup' && (s.key === 'child' || s.key === 'via' || s.key === 'field' || s.key === 'where') && object) {
      return <RollupSetting setting={s.key} field={field as unknown as Partial<RollupField>} parent={object.name} objects={objects} onChange={(patch) => onChange({ ...field, ...patch })} />;
    }
    if (s.key === 'when' && object) {
      return (
        <Suspense fallback={<Spin />}>
          <FieldLogic value={value as never} object={object} problems={problems} onChange={(w) => set('when', w)} />
        </Suspense>
      );
    }
    if (s.kind === 'options') return <PicklistOptions options={options} onChange={(o) => set('options', o)} problems={optionProblems(problems)} />;
    if (s.kind === 'target') {
      return <Select showSearch optionFilterProp="label" value={(value as string) || undefined} onChange={(v) => set('target', v)} data-testid="field-target"
        options={objects.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />;
    }
    if (s.key === 'default' && field.type === 'picklist') {
      return <Select allowClear value={(value as string) || undefined} onChange={(v) => set('default', v)} options={options.filter((o) => o.value).map((o) => ({ value: o.value, label: label(o.label, o.value) }))} />;
    }
    if (s.kind === 'strings') {
      return <Select mode="multiple" allowClear value={(value as string[]) ?? []} onChange={(v) => set(s.key, v)} options={options.filter((o) => o.value).map((o) => ({ value: o.value, label: label(o.label, o.value) }))} />;
    }
    if (s.kind === 'enum') return <Select value={(value as string) || undefined} onChange={(v) => set(s.key, v)} options={(s.values ?? []).map((v) => ({ value: v, label: v }))} />;
    if (s.kind === 'object') {
      // Rare, structured settings (a roll-up's `where`): edited as JSON until they get their own editor.
      return <Input.TextArea rows={2} defaultValue={value === undefined ? '' : JSON.stringify(value)} onBlur={(e) => {
        try { set(s.key, e.target.value.trim() ? JSON.parse(e.target.value) : undefined); } catch { /* left as typed; the API reports it */ }
      }} />;
    }
    if (s.kind === 'boolean') return <Switch checked={value === true} onChange={(v) => set(s.key, v || undefined)} />;
    if (s.kind === 'integer' || s.kind === 'number') {
      return <InputNumber style={{ width: '100%' }} value={value as number | undefined} precision={s.kind === 'integer' ? 0 : undefined}
        {...(s.minimum !== undefined ? { min: s.minimum } : {})} {...(s.maximum !== undefined ? { max: s.maximum } : {})}
        onChange={(v) => set(s.key, v ?? undefined)} />;
    }
    return <Input value={(value as string) ?? ''} onChange={(e) => set(s.key, e.target.value)} />;
  };

  return (
    <Form layout="vertical" size="small" data-testid="field-settings">
      <Form.Item label={t('field.type')} {...at('type')}>
        <Select value={field.type} onChange={(type: FieldType) => onChange(changeType(field, type))} data-testid="field-type" virtual={false}
          options={FIELD_TYPES.map((type) => ({ value: type, label: t(`types.${type}`) }))} />
      </Form.Item>
      <Form.Item label={t('field.labelEn')} {...at('label')}>
        <Input value={labels('label').en ?? ''} onChange={(e) => set('label', { ...labels('label'), en: e.target.value })} data-testid="field-label-en" />
      </Form.Item>
      <Form.Item label={t('field.labelZh')}>
        <Input value={labels('label')['zh-CN'] ?? ''} onChange={(e) => set('label', { ...labels('label'), 'zh-CN': e.target.value })} data-testid="field-label-zh" />
      </Form.Item>
      <Form.Item label={t('field.name')} {...at('name')}>
        <Input value={field.name} onChange={(e) => set('name', e.target.value)} data-testid="field-name" />
      </Form.Item>
      <Form.Item label={t('field.helpEn')} {...at('help')}>
        <Input value={labels('help').en ?? ''} onChange={(e) => set('help', { ...labels('help'), en: e.target.value })} />
      </Form.Item>
      <Form.Item label={t('field.helpZh')}>
        <Input value={labels('help')['zh-CN'] ?? ''} onChange={(e) => set('help', { ...labels('help'), 'zh-CN': e.target.value })} />
      </Form.Item>
      <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
        {(['required', 'unique', 'indexed', 'sensitive'] as const).filter((k) => hasSetting(field.type, k)).map((k) => (
          <Form.Item key={k} label={t(`field.${k}`)} {...at(k)}>
            <Switch checked={field[k] === true} onChange={(v) => set(k, v || undefined)} data-testid={`field-${k}`} />
          </Form.Item>
        ))}
      </div>
      <Divider titlePlacement="start" plain>{t(`types.${field.type}`)}</Divider>
      {settingsOf(field.type).map((s) => (
        <Form.Item key={s.key} label={t(`field.settings.${s.key}`, { defaultValue: s.key })} {...at(s.key)}>
          {input(s)}
        </Form.Item>
      ))}
    </Form>
  );
}
