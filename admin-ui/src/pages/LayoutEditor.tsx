/**
 * An object's page layouts and record types. Layouts: drag fields from the palette into
 * sections and columns (and between them, or back), one to four columns per section, related
 * lists with their columns, and a live preview of the generated form. Record types: label,
 * default, active, the layout their forms use, and the picklist values each allows.
 * Problems from Validate appear at the layout, section, field chip or record type they name.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import { DndContext, PointerSensor, pointerWithin, useDraggable, useDroppable, useSensor, useSensors } from '@dnd-kit/core';
import type { CollisionDetection, DragEndEvent } from '@dnd-kit/core';
import { Alert, Button, Card, Checkbox, Col, DatePicker, Empty, Form, Input, InputNumber, Popconfirm, Radio, Row, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../draft';
import { problemsUnder, statusAt, useSaveDraft } from '../editing';
import type { PlacedProblem } from '../editing';
import { apiName } from '../fieldSettings';
import { defaultLayout, moveField, relationChoices, setColumnCount, unplacedFields } from '../layouts/layoutModel';
import type { FieldDef, LayoutDef, ObjectDef, RecordTypeDef } from '../types';
import { useLanguage } from '../useLanguage';
import { LabelsInput } from './rules/common';

/** Under the pointer, a field chip (drop before it) wins over the column around it. */
const chipFirst: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  const chips = hits.filter((h) => String(h.id).startsWith('before:'));
  return chips.length ? chips : hits;
};

function Chip({ field, label, problem }: { field: string; label: string; problem?: string | undefined }) {
  const drag = useDraggable({ id: `field:${field}` });
  const drop = useDroppable({ id: `before:${field}` });
  return (
    <div ref={drop.setNodeRef} data-over={drop.isOver} style={{ borderTop: drop.isOver ? '2px solid #2f54eb' : '2px solid transparent' }}>
      <Tooltip title={problem}>
        <Tag ref={drag.setNodeRef} {...drag.attributes} {...drag.listeners} data-testid={`chip-${field}`} color={problem ? 'red' : undefined}
          style={{ cursor: 'grab', display: 'block', margin: '2px 0', padding: '4px 8px', opacity: drag.isDragging ? 0.4 : 1, transform: drag.transform ? `translate(${drag.transform.x}px, ${drag.transform.y}px)` : undefined, position: 'relative', zIndex: drag.isDragging ? 10 : undefined }}>
          {label}
        </Tag>
      </Tooltip>
    </div>
  );
}

function Zone({ id, children, testId }: { id: string; children: ReactNode; testId?: string }) {
  const { setNodeRef, isOver } = useDroppable({ id });
  return <div ref={setNodeRef} data-testid={testId} data-over={isOver} style={{ minHeight: 48, padding: 6, border: `1px dashed ${isOver ? '#2f54eb' : '#d9d9d9'}`, borderRadius: 6, background: isOver ? '#f0f5ff' : '#fafafa' }}>{children}</div>;
}

/** A disabled input of the field's kind: what the generated form shows. */
function PreviewInput({ field }: { field: FieldDef | undefined }) {
  if (!field) return <Input disabled />;
  switch (field.type) {
    case 'number': case 'currency': case 'percent': return <InputNumber disabled style={{ width: '100%' }} />;
    case 'date': case 'datetime': return <DatePicker disabled style={{ width: '100%' }} showTime={field.type === 'datetime'} />;
    case 'boolean': return <Switch disabled />;
    case 'picklist': case 'multi-picklist': case 'lookup': case 'user': return <Select disabled style={{ width: '100%' }} />;
    case 'textarea': return <Input.TextArea disabled rows={2} />;
    default: return <Input disabled />;
  }
}

export default function LayoutEditor() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const navigate = useNavigate();
  const { name = '' } = useParams();
  const { draft, problems } = useDraft();
  const save = useSaveDraft();
  const objectIndex = draft?.bundle.objects.findIndex((o) => o.name === name) ?? -1;
  const stored = objectIndex >= 0 ? draft!.bundle.objects[objectIndex] : undefined;
  const [layouts, setLayouts] = useState<LayoutDef[] | null>(null);
  const [types, setTypes] = useState<RecordTypeDef[] | null>(null);
  const [current, setCurrent] = useState(0);
  const [saving, setSaving] = useState(false);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));
  useEffect(() => {
    if (stored && !layouts) {
      setLayouts(structuredClone(stored.layouts ?? []));
      setTypes(structuredClone(stored.recordTypes ?? []));
    }
  }, [stored, layouts]);
  const placed = useMemo(() => problemsUnder(problems, `/objects/${objectIndex}`), [problems, objectIndex]);
  if (!draft || !stored || !layouts || !types) return <Card loading>{draft && !stored ? t('rules.notFound', { name }) : null}</Card>;
  const object: ObjectDef = stored;
  const fieldLabel = (f: string) => label(object.fields.find((x) => x.name === f)?.label, f);
  const layout = layouts[current];
  const layoutProblems = (i: number) => placed.flatMap((p) => (p.rest.startsWith(`layouts/${i}/`) || p.rest === `layouts/${i}` ? [{ ...p, rest: p.rest.slice(`layouts/${i}`.length + 1) }] : []));
  const mine: PlacedProblem[] = layout ? layoutProblems(current) : [];
  const chipProblem = (s: number, c: number, r: number) => mine.filter((p) => p.rest === `sections/${s}/columns/${c}/${r}`).map((p) => p.message).join('; ') || undefined;
  const setLayout = (next: LayoutDef) => setLayouts(layouts.map((l, i) => (i === current ? next : l)));

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!layout || !over) return;
    const field = String(active.id).replace(/^field:/, '');
    const target = String(over.id);
    if (target === 'palette') return setLayout(moveField(layout, field, null));
    const col = /^col:(\d+):(\d+)$/.exec(target);
    if (col) return setLayout(moveField(layout, field, { section: Number(col[1]), column: Number(col[2]) }));
    const before = /^before:(.+)$/.exec(target);
    if (before && before[1] !== field) {
      for (const [s, section] of layout.sections.entries()) {
        for (const [c, column] of section.columns.entries()) {
          const index = column.indexOf(before[1]!);
          if (index >= 0) return setLayout(moveField(layout, field, { section: s, column: c, index }));
        }
      }
      // Dropped on a palette chip: off the layout.
      setLayout(moveField(layout, field, null));
    }
  };

  const submit = async () => {
    setSaving(true);
    await save((bundle) => ({
      ...bundle,
      objects: bundle.objects.map((o) => {
        if (o.name !== name) return o;
        const next: ObjectDef = { ...o, layouts, recordTypes: types };
        if (!layouts.length) delete next.layouts;
        if (!types.length) delete next.recordTypes;
        return next;
      }),
    }));
    setSaving(false);
  };
  const otherProblems = placed.filter((p) => !p.rest.startsWith('layouts/') && !p.rest.startsWith('recordTypes/') && (p.rest.startsWith('layouts') || p.rest.startsWith('recordTypes')));
  const picklists = object.fields.filter((f): f is Extract<FieldDef, { type: 'picklist' | 'multi-picklist' }> => f.type === 'picklist' || f.type === 'multi-picklist');
  const relations = relationChoices(draft.bundle.objects, object.name);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('layout.title', { label: label(object.label, object.name) })}</Typography.Title>
        <Space>
          <Button onClick={() => navigate(`/objects/${name}`)}>{t('layout.backToObject')}</Button>
          <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="save-layouts">{t('editor.save')}</Button>
        </Space>
      </Space>
      {otherProblems.length > 0 && <Alert type="error" title={t('rules.problems')} description={<ul>{otherProblems.map((p, i) => <li key={i}><code>{p.rest}</code> {p.message}</li>)}</ul>} />}
      <Tabs items={[
        {
          key: 'layouts', label: t('layout.layouts'),
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Radio.Group optionType="button" value={current} onChange={(e) => setCurrent(e.target.value as number)}
                  options={layouts.map((l, i) => ({ value: i, label: <span>{label(l.label, l.name)}{layoutProblems(i).length > 0 && <Tag color="red" style={{ marginLeft: 4 }}>{layoutProblems(i).length}</Tag>}</span> }))} />
                <Button data-testid="new-layout" onClick={() => { setLayouts([...layouts, defaultLayout(object, layouts.length ? `layout_${layouts.length + 1}` : 'default')]); setCurrent(layouts.length); }}>{t('layout.newLayout')}</Button>
                {layout && <Popconfirm title={t('rules.deleteConfirm', { name: layout.name })} onConfirm={() => { setLayouts(layouts.filter((_, i) => i !== current)); setCurrent(0); }}><Button danger>{t('rules.delete')}</Button></Popconfirm>}
              </Space>
              {!layout ? <Empty description={t('layout.none')} /> : (
                <Row gutter={16}>
                  <Col span={14}>
                    <Card size="small">
                      <Form layout="vertical">
                        <Row gutter={12}>
                          <Col span={8}><Form.Item label={t('rules.name')} {...statusAt(mine, 'name')}><Input data-testid="layout-name" value={layout.name} onChange={(e) => setLayout({ ...layout, name: e.target.value })} onBlur={(e) => setLayout({ ...layout, name: apiName(e.target.value) || e.target.value })} /></Form.Item></Col>
                          <Col span={16}><Form.Item label={t('objects.label')} {...statusAt(mine, 'label')}><LabelsInput testId="layout-label" value={layout.label} onChange={(l) => setLayout({ ...layout, label: l })} /></Form.Item></Col>
                        </Row>
                      </Form>
                      <DndContext sensors={sensors} collisionDetection={chipFirst} onDragEnd={onDragEnd}>
                        <Typography.Text type="secondary">{t('layout.palette')}</Typography.Text>
                        <Zone id="palette" testId="palette">
                          <Space wrap size={4}>{unplacedFields(object, layout).map((f) => <Chip key={f} field={f} label={fieldLabel(f)} />)}</Space>
                        </Zone>
                        {layout.sections.map((section, s) => (
                          <Card key={s} size="small" style={{ marginTop: 12 }} data-testid={`section-${s}`}
                            title={<LabelsInput testId={`section-${s}-label`} value={section.label} status={statusAt(mine, `sections/${s}/label`).validateStatus} onChange={(l) => setLayout({ ...layout, sections: layout.sections.map((x, j) => (j === s ? { ...x, label: l } : x)) })} />}
                            extra={<Space>
                              <Select size="small" value={section.columns.length} style={{ width: 110 }} data-testid={`section-${s}-columns`} onChange={(n: number) => setLayout({ ...layout, sections: layout.sections.map((x, j) => (j === s ? setColumnCount(x, n) : x)) })}
                                options={[1, 2, 3, 4].map((n) => ({ value: n, label: t('layout.columns', { count: n }) }))} />
                              <Button size="small" disabled={s === 0} onClick={() => { const next = [...layout.sections]; [next[s - 1], next[s]] = [next[s]!, next[s - 1]!]; setLayout({ ...layout, sections: next }); }}>↑</Button>
                              <Button size="small" danger type="text" onClick={() => setLayout({ ...layout, sections: layout.sections.filter((_, j) => j !== s) })}>⨯</Button>
                            </Space>}>
                            <Row gutter={8}>
                              {section.columns.map((column, c) => (
                                <Col key={c} span={24 / section.columns.length}>
                                  <Zone id={`col:${s}:${c}`} testId={`column-${s}-${c}`}>
                                    {column.map((f, r) => <Chip key={f} field={f} label={fieldLabel(f)} problem={chipProblem(s, c, r)} />)}
                                  </Zone>
                                </Col>
                              ))}
                            </Row>
                          </Card>
                        ))}
                      </DndContext>
                      <Button style={{ marginTop: 12 }} onClick={() => setLayout({ ...layout, sections: [...layout.sections, { label: { en: '' }, columns: [[], []] }] })} data-testid="add-section">{t('layout.addSection')}</Button>
                      <Card size="small" title={t('layout.relatedLists')} style={{ marginTop: 12 }}>
                        {(layout.relatedLists ?? []).map((rl, i) => {
                          const related = draft.bundle.objects.find((o) => o.name === rl.relation.split('.')[0]);
                          const set = (next: typeof rl | null) => {
                            const list = (layout.relatedLists ?? []).flatMap((x, j) => (j === i ? (next ? [next] : []) : [x]));
                            const { relatedLists: _r, ...rest } = layout;
                            setLayout(list.length ? { ...rest, relatedLists: list } : rest);
                          };
                          return (
                            <Space key={i} wrap style={{ marginBottom: 8 }}>
                              <Select style={{ width: 260 }} value={rl.relation} status={statusAt(mine, `relatedLists/${i}/relation`).validateStatus} onChange={(relation: string) => set({ relation })}
                                options={[...new Set([...relations, rl.relation])].map((r) => ({ value: r, label: r }))} />
                              <Select mode="multiple" style={{ minWidth: 300 }} placeholder={t('layout.relatedColumns')} value={rl.fields ?? []} status={statusAt(mine, `relatedLists/${i}/fields`).validateStatus}
                                onChange={(fields: string[]) => set(fields.length ? { ...rl, fields } : { relation: rl.relation })}
                                options={(related?.fields ?? []).map((f) => ({ value: f.name, label: label(f.label, f.name) }))} />
                              <Button size="small" type="text" danger onClick={() => set(null)}>⨯</Button>
                            </Space>
                          );
                        })}
                        <Select placeholder={t('layout.addRelated')} style={{ width: 260 }} value={null} onChange={(relation: string) => setLayout({ ...layout, relatedLists: [...(layout.relatedLists ?? []), { relation }] })}
                          options={relations.map((r) => ({ value: r, label: r }))} />
                      </Card>
                    </Card>
                  </Col>
                  <Col span={10}>
                    <Card size="small" title={t('layout.preview')} data-testid="layout-preview">
                      <Form layout="vertical">
                        {layout.sections.map((section, s) => (
                          <div key={s}>
                            <Typography.Title level={5}>{label(section.label, '')}</Typography.Title>
                            <Row gutter={12}>
                              {section.columns.map((column, c) => (
                                <Col key={c} span={24 / section.columns.length}>
                                  {column.map((f) => {
                                    const def = object.fields.find((x) => x.name === f);
                                    return <Form.Item key={f} label={fieldLabel(f)} required={def?.required}><PreviewInput field={def} /></Form.Item>;
                                  })}
                                </Col>
                              ))}
                            </Row>
                          </div>
                        ))}
                        {(layout.relatedLists ?? []).map((rl) => <Table key={rl.relation} size="small" title={() => rl.relation} pagination={false} dataSource={[]} columns={(rl.fields ?? ['name']).map((f) => ({ title: f, key: f }))} />)}
                      </Form>
                    </Card>
                  </Col>
                </Row>
              )}
            </Space>
          ),
        },
        {
          key: 'types', label: t('layout.recordTypes'),
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Table<RecordTypeDef> size="small" rowKey={(_, i) => String(i)} pagination={false} dataSource={types} data-testid="record-types"
                expandable={{
                  expandedRowRender: (rt) => {
                    const i = types.indexOf(rt);
                    return (
                      <Space orientation="vertical" style={{ width: '100%' }}>
                        <Typography.Text type="secondary">{t('layout.picklistValues')}</Typography.Text>
                        {picklists.map((f) => (
                          <Space key={f.name} wrap data-testid={`record-type-${i}-values-${f.name}`}>
                            <Tag style={{ minWidth: 140 }}>{label(f.label, f.name)}</Tag>
                            <Checkbox data-testid="all-values" checked={rt.picklistValues?.[f.name] === undefined} onChange={(e) => {
                              const values = { ...rt.picklistValues };
                              if (e.target.checked) delete values[f.name];
                              else values[f.name] = f.options.map((o) => o.value);
                              const { picklistValues: _p, ...rest } = rt;
                              setTypes(types.map((x, j) => (j === i ? (Object.keys(values).length ? { ...rest, picklistValues: values } : rest) : x)));
                            }}>{t('layout.allValues')}</Checkbox>
                            {rt.picklistValues?.[f.name] !== undefined && (
                              <Select mode="multiple" style={{ minWidth: 320 }} data-testid="allowed-values" value={rt.picklistValues[f.name]} status={statusAt(placed, `recordTypes/${i}/picklistValues/${f.name}`).validateStatus}
                                onChange={(v: string[]) => setTypes(types.map((x, j) => (j === i ? { ...x, picklistValues: { ...x.picklistValues, [f.name]: v } } : x)))}
                                options={f.options.map((o) => ({ value: o.value, label: label(o.label, o.value) }))} />
                            )}
                          </Space>
                        ))}
                      </Space>
                    );
                  },
                }}
                columns={[
                  { title: t('rules.name'), key: 'name', render: (_, rt, i) => <Form.Item style={{ margin: 0 }} {...statusAt(placed, `recordTypes/${i}/name`)}><Input data-testid={`record-type-${i}-name`} value={rt.name} onChange={(e) => setTypes(types.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} /></Form.Item> },
                  { title: t('objects.label'), key: 'label', render: (_, rt, i) => <LabelsInput testId={`record-type-${i}-label`} value={rt.label} onChange={(l) => setTypes(types.map((x, j) => (j === i ? { ...x, label: l } : x)))} /> },
                  { title: t('layout.default'), key: 'default', render: (_, rt, i) => <Radio data-testid={`record-type-${i}-default`} checked={rt.default === true} onChange={() => setTypes(types.map((x, j) => { const { default: _d, ...rest } = x; return j === i ? { ...rest, default: true } : rest; }))} /> },
                  { title: t('rules.active'), key: 'active', render: (_, rt, i) => <Switch checked={rt.active !== false} onChange={(v) => setTypes(types.map((x, j) => { if (j !== i) return x; const { active: _a, ...rest } = x; return v ? rest : { ...rest, active: false }; }))} /> },
                  { title: t('layout.layout'), key: 'layout', render: (_, rt, i) => <Form.Item style={{ margin: 0 }} {...statusAt(placed, `recordTypes/${i}/layout`)}><Select allowClear style={{ width: 180 }} data-testid={`record-type-${i}-layout`} value={rt.layout} onChange={(l?: string) => setTypes(types.map((x, j) => { if (j !== i) return x; const { layout: _l, ...rest } = x; return l ? { ...rest, layout: l } : rest; }))} options={layouts.map((l) => ({ value: l.name, label: label(l.label, l.name) }))} /></Form.Item> },
                  { key: 'remove', render: (_, __, i) => <Button size="small" type="text" danger onClick={() => setTypes(types.filter((_, j) => j !== i))}>⨯</Button> },
                ]} />
              <Button data-testid="add-record-type" onClick={() => setTypes([...types, { name: `type_${types.length + 1}`, label: { en: '' }, ...(types.length ? {} : { default: true }) }])}>{t('layout.addRecordType')}</Button>
            </Space>
          ),
        },
      ]} />
    </Space>
  );
}
