/** An ordered list whose items are dragged (or moved with the keyboard) into order with @dnd-kit: assignment entries, actions, layout sections. */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors } from '@dnd-kit/core';
import type { DragEndEvent } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

let nextId = 0;
const newId = () => `item-${++nextId}`;

interface Props<T> {
  readonly items: readonly T[];
  readonly onChange: (items: T[]) => void;
  /** One item; `handle` is the drag handle to place in it, `remove` takes it out (keeping the others' identities). */
  readonly render: (item: T, index: number, handle: ReactNode, remove: () => void) => ReactNode;
  readonly testId?: string;
}

/** Stable identities for list items that have none of their own, kept across reorders. */
export function useItemIds(length: number): [string[], (ids: string[]) => void] {
  const [ids, setIds] = useState<string[]>(() => Array.from({ length }, newId));
  if (ids.length !== length) {
    const next = ids.length < length ? [...ids, ...Array.from({ length: length - ids.length }, newId)] : ids.slice(0, length);
    setIds(next);
    return [next, setIds];
  }
  return [ids, setIds];
}

export function SortableList<T>({ items, onChange, render, testId }: Props<T>) {
  const [ids, setIds] = useItemIds(items.length);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = ids.indexOf(String(active.id));
    const to = ids.indexOf(String(over.id));
    setIds(arrayMove(ids, from, to));
    onChange(arrayMove([...items], from, to));
  };
  const remove = (i: number) => {
    setIds(ids.filter((_, j) => j !== i));
    onChange(items.filter((_, j) => j !== i));
  };
  return (
    <div data-testid={testId}>
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          {items.map((item, i) => <Row key={ids[i]} id={ids[i]!}>{(handle) => render(item, i, handle, () => remove(i))}</Row>)}
        </SortableContext>
      </DndContext>
    </div>
  );
}

function Row({ id, children }: { id: string; children: (handle: ReactNode) => ReactNode }) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id });
  const handle = (
    <Tooltip title={t('field.drag')}>
      <span {...attributes} {...listeners} style={{ cursor: 'grab', padding: '0 6px', userSelect: 'none' }} aria-label={t('field.drag')}>⠿</span>
    </Tooltip>
  );
  return (
    <div ref={setNodeRef} style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1, marginBottom: 8 }}>
      {children(handle)}
    </div>
  );
}
