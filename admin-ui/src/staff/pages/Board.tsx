/**
 * Kanban board of an object: a column per value of its stage/status picklist (the workflow's
 * state field once workflows are published), each with its count and amount total from the
 * aggregate API and its cards from an index-served list. Dragging a card changes the field —
 * through the workflow's transition when the API offers one — and a refused drop says why; when
 * the refusal names fields (a lost deal needs its reason), the card asks for them and tries again.
 * Columns whose state has a service level count the records near (80% of the time allowed) or
 * past it, and such cards wear a badge — both from the server (`sla=true`), which computes the
 * due times as the SLA timers do.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors } from '@dnd-kit/core';
import type { DragEndEvent } from '@dnd-kit/core';
import { Alert, App, Badge, Button, Card, Empty, Form, Modal, Result, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import type { FieldDef, ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import { FieldInput } from '../components/FieldInput';
import { boardColumns, boardField, refusalFields } from '../board';
import { fieldLabel, formatDateTime, formatValue, optionLabel, recordName } from '../format';
import { sumFields } from '../listQuery';
import type { AggregateAnswer, ApiRecord, SlaMark } from '../staffApi';
import { aggregate, listRecords, patchRecord } from '../staffApi';
import { TransitionFields, hasWorkflowApi, loadTransitions, offeredTransitions, problemText, reasonText, runTransition } from '../workflow';
import type { TransitionOption } from '../workflow';

const PER_COLUMN = 20;

export default function Board() {
  const { object: name = '' } = useParams();
  const { object } = useStaff();
  const { t } = useTranslation('staff');
  const def = object(name);
  const field = def ? boardField(def) : null;
  if (!def || !field) return <Result status="404" title={t('board.none')} />;
  return <BoardOf key={name} def={def} field={field} />;
}

interface Column {
  readonly items: ApiRecord[];
  readonly cursor: string | null;
}

function BoardOf({ def, field }: { def: ObjectDef; field: Extract<FieldDef, { type: 'picklist' }> }) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { message } = App.useApp();
  const { can, nameOf, rememberNames, hasRoute } = useStaff();
  const [columns, setColumns] = useState<Record<string, Column>>({});
  const [totals, setTotals] = useState<AggregateAnswer | null>(null);
  const [refused, setRefused] = useState<{ record: ApiRecord; to: string; text: string; fields: string[] } | null>(null);
  const [loading, setLoading] = useState(true);
  const amount = sumFields(def)[0];
  const values = useMemo(() => boardColumns(field, new Set()), [field]);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor));
  const editable = can(def.name).update;
  const viaWorkflow = hasWorkflowApi(hasRoute, def.name);
  const [asking, setAsking] = useState<{ record: ApiRecord; to: string; transition: TransitionOption & { needsFields: readonly string[] } } | null>(null);
  const draggedAt = useRef(0);

  const loadTotals = useCallback(() => aggregate(def.name, [], field.name, amount ? [amount] : [], { sla: 'true' }).then(setTotals, () => setTotals(null)), [def.name, field.name, amount]);
  const loadColumn = useCallback(
    async (value: string, cursor: string | null) => {
      const page = await listRecords(def.name, { filters: [{ field: field.name, op: 'eq', value }], sort: null, limit: PER_COLUMN, cursor }, { sla: 'true' });
      rememberNames(def.name, page.items);
      setColumns((prev) => ({ ...prev, [value]: { items: [...(cursor ? (prev[value]?.items ?? []) : []), ...page.items], cursor: page.nextCursor } }));
    },
    [def.name, field.name, rememberNames],
  );
  useEffect(() => {
    setLoading(true);
    Promise.all([loadTotals(), ...values.map((v) => loadColumn(v, null).catch(() => undefined))]).finally(() => setLoading(false));
  }, [values, loadColumn, loadTotals]);

  const place = (record: ApiRecord, from: string, to: string) =>
    setColumns((prev) => ({
      ...prev,
      [from]: { items: (prev[from]?.items ?? []).filter((r) => r.id !== record.id), cursor: prev[from]?.cursor ?? null },
      [to]: { items: [record, ...(prev[to]?.items ?? []).filter((r) => r.id !== record.id)], cursor: prev[to]?.cursor ?? null },
    }));

  /** Moves a card: the workflow's transition into that state when there is one, else a change of the field with the card's version. */
  const move = async (record: ApiRecord, to: string, extra: Record<string, unknown> = {}) => {
    const from = String(record[field.name] ?? '');
    place({ ...record, [field.name]: to }, from, to);
    try {
      let saved: ApiRecord;
      const answer = viaWorkflow ? await loadTransitions(def.name, record.id) : null;
      if (answer?.workflow && answer.field === field.name) {
        // A workflow's state changes only by its transitions: the one into the column, if it leaves this state.
        const transition = offeredTransitions(answer).find((o) => o.to === to);
        if (!transition) throw new Error(t('board.noTransition', { to: optionLabel(field, to, language) }));
        if (!transition.available && Object.keys(extra).length === 0) {
          if (transition.needsFields.length) {
            place(record, to, from);
            return setAsking({ record, to, transition });
          }
          throw new Error(reasonText(transition, language) || t('board.notAllowed'));
        }
        saved = await runTransition(def.name, record.id, transition.name, record.version, extra);
      } else {
        saved = await patchRecord(def.name, record.id, record.version, { ...extra, [field.name]: to });
      }
      rememberNames(def.name, [saved]);
      place(saved, to, to);
      void loadTotals();
      message.success(t('board.moved', { name: recordName(def, saved, language), to: optionLabel(field, to, language) }));
    } catch (error) {
      place(record, to, from);
      // The problems say why (the rule's own message); the title only when there are none.
      const text = problemText(error);
      const fields = error instanceof ApiError ? refusalFields(error.problems, def, field.name) : [];
      setRefused({ record, to, text, fields });
    }
  };

  const onDragEnd = (e: DragEndEvent) => {
    // The click that ends a drag over a card's link must not open the record.
    draggedAt.current = Date.now();
    const record = e.active.data.current?.record as ApiRecord | undefined;
    const to = e.over?.id ? String(e.over.id) : null;
    if (!record || !to || to === String(record[field.name] ?? '')) return;
    if (!editable) return void message.warning(t('board.readOnly'));
    void move(record, to);
  };

  const total = (value: string) => totals?.groups.find((g) => g.key === value);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="board-title">
          {label(def.pluralLabel ?? def.label, def.name)} · {label(field.label, field.name)}
        </Typography.Title>
        <Link to={`/app/o/${def.name}`}>{t('board.list')}</Link>
      </Space>
      {!editable && <Alert type="info" showIcon title={t('board.readOnly')} />}
      {totals && !totals.complete && <Alert type="warning" showIcon title={t('board.partial')} />}
      <Spin spinning={loading}>
        <DndContext sensors={sensors} onDragEnd={onDragEnd}>
          <div style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 12, alignItems: 'flex-start' }} data-testid="board">
            {values.map((value) => (
              <BoardColumn key={value} value={value} title={optionLabel(field, value, language)} color={field.options.find((o) => o.value === value)?.color}
                count={total(value)?.count ?? columns[value]?.items.length ?? 0} sla={total(value)?.sla}
                sum={amount && total(value)?.sum[amount] ? `Σ ${formatValue(def.fields.find((f) => f.name === amount), total(value)!.sum[amount], language)}` : null}>
                {(columns[value]?.items ?? []).map((r) => (
                  <BoardCard key={r.id} record={r} disabled={!editable}>
                    {/* Not natively draggable: a card grabbed by its title would start the browser's link drag, which cancels the card's. */}
                    <Link to={`/app/o/${def.name}/${r.id}`} draggable={false} onClick={(e) => Date.now() - draggedAt.current < 300 && e.preventDefault()}>{recordName(def, r, language)}</Link>
                    <SlaBadge mark={r._sla as SlaMark | null | undefined} />
                    <div style={{ fontSize: 12, color: '#666' }}>
                      {amount && r[amount] !== undefined && <div>{formatValue(def.fields.find((f) => f.name === amount), r[amount], language)}</div>}
                      {r.owner && <div>{nameOf('user', r.owner) ?? ''}</div>}
                    </div>
                  </BoardCard>
                ))}
                {columns[value]?.cursor && <Button size="small" type="link" onClick={() => void loadColumn(value, columns[value]!.cursor)}>{t('list.loadMore')}</Button>}
                {columns[value] && columns[value]!.items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.emptyColumn')} />}
              </BoardColumn>
            ))}
          </div>
        </DndContext>
      </Spin>
      <TransitionFields object={def} transition={asking?.transition ?? null} busy={false} onCancel={() => setAsking(null)}
        onSubmit={(values) => { const a = asking!; setAsking(null); void move(a.record, a.to, values); }} />
      <RefusedDrop def={def} field={field} refused={refused} onClose={() => setRefused(null)} onRetry={(extra) => { const r = refused!; setRefused(null); void move(r.record, r.to, extra); }} />
    </Space>
  );
}

/** A card's service level when it is near or past: the due time in the tooltip. */
function SlaBadge({ mark }: { mark: SlaMark | null | undefined }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  if (!mark || mark.status === 'ok') return null;
  const past = mark.status === 'breached';
  return (
    <Tooltip title={t('board.slaDue', { at: formatDateTime(mark.dueAt, language) })}>
      <Tag color={past ? 'red' : 'orange'} style={{ marginInlineStart: 6 }} data-testid="card-sla" data-status={mark.status}>{past ? t('board.slaPast') : t('board.slaSoon')}</Tag>
    </Tooltip>
  );
}

function BoardColumn({ value, title, color, count, sum, sla, children }: { value: string; title: string; color?: string | undefined; count: number; sum: string | null; sla?: { near: number; breached: number } | undefined; children: React.ReactNode }) {
  const { t } = useTranslation('staff');
  const { isOver, setNodeRef } = useDroppable({ id: value });
  return (
    <div ref={setNodeRef} data-testid={`column-${value}`} data-over={isOver} style={{ flex: '1 0 220px', maxWidth: 320, background: isOver ? '#e6f4ff' : '#f5f5f5', borderRadius: 8, padding: 8, minHeight: 200, borderTop: `3px solid ${color ?? '#d9d9d9'}` }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Text strong>{title}</Typography.Text>
        <Space size={4}><Badge count={count} showZero color="#8c8c8c" />{sum && <Tag color="gold">{sum}</Tag>}</Space>
      </Space>
      {sla && (sla.near > 0 || sla.breached > 0) && (
        <Space size={4} style={{ marginBottom: 8 }} data-testid={`column-sla-${value}`} data-near={sla.near} data-breached={sla.breached}>
          {sla.breached > 0 && <Tag color="red">{t('board.slaBreachedCount', { count: sla.breached })}</Tag>}
          {sla.near > 0 && <Tag color="orange">{t('board.slaNearCount', { count: sla.near })}</Tag>}
        </Space>
      )}
      <Space orientation="vertical" style={{ width: '100%' }} size={8}>{children}</Space>
    </div>
  );
}

function BoardCard({ record, disabled, children }: { record: ApiRecord; disabled: boolean; children: React.ReactNode }) {
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: record.id, data: { record }, disabled });
  return (
    <Card ref={setNodeRef} size="small" data-testid="board-card" {...attributes} {...listeners}
      style={{ cursor: disabled ? 'default' : 'grab', opacity: isDragging ? 0.6 : 1, transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined, zIndex: isDragging ? 10 : undefined, touchAction: 'none' }}>
      {children}
    </Card>
  );
}

/** Why a drop was refused; when the refusal names fields the user can fill, a small form to fill them and move again. */
function RefusedDrop({ def, field, refused, onClose, onRetry }: { def: ObjectDef; field: FieldDef; refused: { record: ApiRecord; to: string; text: string; fields: string[] } | null; onClose: () => void; onRetry: (extra: Record<string, unknown>) => void }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const [form] = Form.useForm<Record<string, unknown>>();
  if (!refused) return null;
  const defs = refused.fields.map((n) => def.fields.find((f) => f.name === n)).filter((f): f is FieldDef => Boolean(f));
  return (
    <Modal open title={t('board.refused', { to: optionLabel(field, refused.to, language) })} onCancel={onClose} destroyOnHidden
      footer={defs.length ? [<Button key="c" onClick={onClose}>{t('common.cancel')}</Button>, <Button key="ok" type="primary" onClick={() => form.submit()} data-testid="refused-retry">{t('board.fillAndMove')}</Button>] : [<Button key="ok" type="primary" onClick={onClose}>{t('common.close')}</Button>]}>
      <Alert type="error" showIcon title={refused.text} data-testid="refused-reason" style={{ marginBottom: 12 }} />
      {defs.length > 0 && (
        <Form form={form} layout="vertical" onFinish={(v) => onRetry(Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== null && x !== '')))}>
          {defs.map((f) => (
            <Form.Item key={f.name} name={f.name} label={fieldLabel(def, f.name, language)} rules={[{ required: true, message: t('board.needed') }]}>
              <FieldInput field={f} />
            </Form.Item>
          ))}
        </Form>
      )}
    </Modal>
  );
}
