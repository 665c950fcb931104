/** Picklist options: value, labels in both languages, colour, inactive; drag (or keyboard) to reorder with @dnd-kit. */
import { useState } from 'react';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors } from '@dnd-kit/core';
import type { DragEndEvent } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Button, ColorPicker, Input, Space, Switch, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PicklistOption } from '../types';

interface Props {
  readonly options: PicklistOption[];
  readonly onChange: (options: PicklistOption[]) => void;
  /** Messages by option index (`options/1/value` → 1). */
  readonly problems: ReadonlyMap<number, string[]>;
}

let nextId = 0;
const newId = () => `opt-${++nextId}`;

export function PicklistOptions({ options, onChange, problems }: Props) {
  const { t } = useTranslation();
  const [ids, setIds] = useState<string[]>(() => options.map(newId));
  // Options replaced from outside (another field selected, a reload): new identities.
  const keys = ids.length === options.length ? ids : options.map(newId);
  if (keys !== ids) setIds(keys);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = keys.indexOf(String(active.id));
    const to = keys.indexOf(String(over.id));
    setIds(arrayMove(keys, from, to));
    onChange(arrayMove(options, from, to));
  };
  const update = (i: number, patch: Partial<PicklistOption>) => onChange(options.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  const remove = (i: number) => {
    setIds(keys.filter((_, j) => j !== i));
    onChange(options.filter((_, j) => j !== i));
  };
  const add = () => {
    setIds([...keys, newId()]);
    onChange([...options, { value: '', label: { en: '' } }]);
  };

  return (
    <div data-testid="picklist-options">
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={keys} strategy={verticalListSortingStrategy}>
          {options.map((option, i) => (
            <OptionRow key={keys[i]} id={keys[i]!} index={i} option={option} errors={problems.get(i) ?? []}
              onChange={(patch) => update(i, patch)} onRemove={() => remove(i)} />
          ))}
        </SortableContext>
      </DndContext>
      <Button size="small" onClick={add} data-testid="add-option">{t('field.addOption')}</Button>
    </div>
  );
}

interface RowProps {
  readonly id: string;
  readonly index: number;
  readonly option: PicklistOption;
  readonly errors: string[];
  readonly onChange: (patch: Partial<PicklistOption>) => void;
  readonly onRemove: () => void;
}

function OptionRow({ id, index, option, errors, onChange, onRemove }: RowProps) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id });
  return (
    <div ref={setNodeRef} data-testid={`option-${index}`}
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1, padding: '4px 0', borderBottom: '1px solid #f5f5f5' }}>
      <Space wrap>
        <Tooltip title={t('field.drag')}>
          <Button size="small" type="text" {...attributes} {...listeners} style={{ cursor: 'grab' }} aria-label={t('field.drag')} data-testid="drag-handle">⠿</Button>
        </Tooltip>
        <Input size="small" style={{ width: 110 }} placeholder={t('field.optionValue')} value={option.value} status={errors.length ? 'error' : ''}
          onChange={(e) => onChange({ value: e.target.value })} data-testid="option-value" />
        <Input size="small" style={{ width: 120 }} placeholder={t('field.labelEn')} value={option.label.en ?? ''}
          onChange={(e) => onChange({ label: { ...option.label, en: e.target.value } })} data-testid="option-label-en" />
        <Input size="small" style={{ width: 120 }} placeholder={t('field.labelZh')} value={option.label['zh-CN'] ?? ''}
          onChange={(e) => onChange({ label: { ...option.label, 'zh-CN': e.target.value } })} data-testid="option-label-zh" />
        <ColorPicker size="small" disabledAlpha allowClear value={option.color ?? null}
          onChange={(c) => onChange({ color: c.toHexString() })} onClear={() => onChange({ color: undefined })} />
        <Switch size="small" checked={!option.inactive} checkedChildren="on" unCheckedChildren={t('field.optionInactive')}
          onChange={(active) => onChange({ inactive: active ? undefined : true })} />
        <Button size="small" type="text" danger onClick={onRemove}>✕</Button>
      </Space>
      {errors.map((m, i) => <Typography.Text key={i} type="danger" style={{ display: 'block', fontSize: 12 }}>{m}</Typography.Text>)}
    </div>
  );
}
