/**
 * The workflow designer: a workflow's states and transitions as a diagram (@xyflow/react) —
 * drag from one state's handle to another to add a transition — with the selected state's
 * settings (category, probability, colour, required fields) or transition's (label, from,
 * roles, guards built with the condition builder, required fields, manual, actions).
 * Problems from Validate mark the state or transition and appear at their inputs. Approval
 * processes are the page's second tab (`ApprovalProcesses.tsx`).
 */
import { useEffect, useMemo, useState } from 'react';
import { Background, Controls, Handle, MarkerType, Position, ReactFlow } from '@xyflow/react';
import type { Edge, Node, NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Alert, Button, Card, Col, ColorPicker, Empty, Form, Input, InputNumber, Popconfirm, Row, Select, Space, Switch, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../draft';
import { below, problemsUnder, statusAt, useSaveDraft } from '../editing';
import type { PlacedProblem } from '../editing';
import { actionTypesFor } from '../rules/ruleDrafts';
import type { ObjectDef } from '../types';
import type { WorkflowDef } from '../../../functions/engine/metadata/types';
import { useLanguage } from '../useLanguage';
import { connect, diagram, newWorkflow, stateFields } from '../workflows/workflowModel';
import ApprovalProcesses from './ApprovalProcesses';
import { ActionsEditor } from './rules/ActionsEditor';
import { ConditionBuilder } from './rules/ConditionBuilder';
import { LabelsInput, fieldOptions, useValueSources } from './rules/common';

const CATEGORIES = ['open', 'won', 'lost', 'closed'] as const;
const CATEGORY_COLOR: Record<string, string> = { open: '#2f54eb', won: '#52c41a', lost: '#ff4d4f', closed: '#8c8c8c' };
type StateData = { label: string; category: string; color?: string | undefined; fromAny: string[]; problem: boolean };

function StateNode({ data, selected }: NodeProps<Node<StateData>>) {
  const { t } = useTranslation();
  return (
    <div data-testid={`state-${data.label}`} style={{ padding: '8px 14px', borderRadius: 8, background: '#fff', minWidth: 140, textAlign: 'center',
      border: `2px solid ${data.problem ? '#ff4d4f' : selected ? '#2f54eb' : data.color ?? CATEGORY_COLOR[data.category] ?? '#d9d9d9'}` }}>
      <Handle type="target" position={Position.Left} />
      <div style={{ fontWeight: 600 }}>{data.label}</div>
      <Tag color={CATEGORY_COLOR[data.category]} style={{ marginInlineEnd: 0 }}>{t(`workflow.categories.${data.category}`, { defaultValue: data.category })}</Tag>
      {data.fromAny.length > 0 && <div style={{ fontSize: 11, color: '#8c8c8c' }}>← * {data.fromAny.join(', ')}</div>}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
const NODE_TYPES = { state: StateNode };

/** Workflows and approval processes, side by side as tabs. */
export default function WorkflowsAndApprovals() {
  const { t } = useTranslation();
  return <Tabs items={[
    { key: 'workflows', label: t('workflow.title'), children: <WorkflowDesigner /> },
    { key: 'approvals', label: t('approvals.title'), children: <ApprovalProcesses /> },
  ]} />;
}

function WorkflowDesigner() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { draft, problems } = useDraft();
  const save = useSaveDraft();
  const [workflows, setWorkflows] = useState<WorkflowDef[] | null>(null);
  const [current, setCurrent] = useState(0);
  const [selection, setSelection] = useState<{ state?: string; transition?: string }>({});
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (draft && !workflows) setWorkflows(structuredClone(draft.bundle.workflows ?? []));
  }, [draft, workflows]);
  const wf = workflows?.[current];
  const object = draft?.bundle.objects.find((o) => o.name === wf?.object);
  const sources = useValueSources(object);
  const placed = useMemo(() => (wf ? problemsUnder(problems, `/workflows/${(draft?.bundle.workflows ?? []).findIndex((w) => w.name === wf.name)}`) : []), [problems, wf, draft]);
  const flow = useMemo(() => {
    if (!wf) return { nodes: [] as Node<StateData>[], edges: [] as Edge[] };
    const { nodes, edges } = diagram(wf);
    const option = (v: string) => object?.fields.find((f) => f.name === wf.field && f.type === 'picklist');
    return {
      nodes: nodes.map((n, i): Node<StateData> => {
        const state = wf.states[i]!;
        const opt = option(n.id)?.type === 'picklist' ? (option(n.id) as { options: Array<{ value: string; label: Record<string, string> }> }).options.find((o) => o.value === n.id) : undefined;
        return { id: n.id, type: 'state', position: { x: n.x, y: n.y }, selected: selection.state === n.id,
          data: { label: opt ? label(opt.label, n.id) : n.id, category: state.category, color: state.color, fromAny: n.fromAny, problem: placed.some((p) => p.rest.startsWith(`states/${i}/`) || p.rest === `states/${i}`) } };
      }),
      edges: edges.map((e): Edge => {
        const k = wf.transitions.findIndex((x) => x.name === e.transition);
        const bad = placed.some((p) => p.rest.startsWith(`transitions/${k}/`) || p.rest === `transitions/${k}`);
        return { id: e.id, source: e.source, target: e.target, label: e.transition, markerEnd: { type: MarkerType.ArrowClosed }, selected: selection.transition === e.transition,
          style: { stroke: bad ? '#ff4d4f' : selection.transition === e.transition ? '#2f54eb' : undefined, strokeWidth: selection.transition === e.transition ? 2 : 1 } };
      }),
    };
  }, [wf, object, placed, selection, label]);
  if (!draft || !workflows) return <Card loading />;
  const setWf = (next: WorkflowDef) => setWorkflows(workflows.map((w, i) => (i === current ? next : w)));
  const candidates = draft.bundle.objects.filter((o) => stateFields(o).length && !workflows.some((w) => w.object === o.name));
  const submit = async () => {
    setSaving(true);
    await save((bundle) => ({ ...bundle, workflows }));
    setSaving(false);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <Space>
          <Select style={{ width: 260 }} value={wf ? current : undefined} placeholder={t('workflow.pick')} onChange={(i: number) => { setCurrent(i); setSelection({}); }}
            options={workflows.map((w, i) => ({ value: i, label: `${label(w.label, w.name)} (${w.object}.${w.field})` }))} />
          <Select style={{ width: 260 }} placeholder={t('workflow.new')} value={null} data-testid="new-workflow" onChange={(o: string) => {
            const obj = draft.bundle.objects.find((x) => x.name === o)!;
            setWorkflows([...workflows, newWorkflow(obj, stateFields(obj)[0]!.name)]);
            setCurrent(workflows.length);
            setSelection({});
          }} options={candidates.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />
          <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="save-workflows">{t('editor.save')}</Button>
        </Space>
      </Space>
      {!wf || !object ? <Empty description={t('workflow.none')} /> : (
        <>
          <Card size="small" extra={<Popconfirm title={t('rules.deleteConfirm', { name: wf.name })} onConfirm={() => { setWorkflows(workflows.filter((_, i) => i !== current)); setCurrent(0); }}><Button danger size="small">{t('rules.delete')}</Button></Popconfirm>}>
            <Form layout="vertical">
              <Row gutter={12}>
                <Col span={4}><Form.Item label={t('rules.name')} {...statusAt(placed, 'name')}><Input value={wf.name} onChange={(e) => setWf({ ...wf, name: e.target.value })} /></Form.Item></Col>
                <Col span={4}><Form.Item label={t('workflow.field')} {...statusAt(placed, 'field')}>
                  <Select value={wf.field} onChange={(field: string) => setWf({ ...newWorkflow(object, field), name: wf.name })} options={fieldOptions(object, label, (f) => f.type === 'picklist')} />
                </Form.Item></Col>
                <Col span={6}><Form.Item label={t('workflow.initial')} {...statusAt(placed, 'initial')}>
                  <Select mode="multiple" allowClear value={wf.initial ?? []} onChange={(initial: string[]) => { const { initial: _i, ...rest } = wf; setWf(initial.length ? { ...rest, initial } : rest); }} options={wf.states.map((s) => ({ value: s.name, label: s.name }))} />
                </Form.Item></Col>
                <Col span={4}><Form.Item label={t('workflow.probabilityField')} {...statusAt(placed, 'probabilityField')}>
                  <Select allowClear value={wf.probabilityField} onChange={(f?: string) => { const { probabilityField: _p, ...rest } = wf; setWf(f ? { ...rest, probabilityField: f } : rest); }} options={fieldOptions(object, label, (f) => f.type === 'number' || f.type === 'percent')} />
                </Form.Item></Col>
                <Col span={4}><Form.Item label={t('workflow.amountField')} {...statusAt(placed, 'amountField')}>
                  <Select allowClear value={wf.amountField} onChange={(f?: string) => { const { amountField: _a, ...rest } = wf; setWf(f ? { ...rest, amountField: f } : rest); }} options={fieldOptions(object, label, (f) => f.type === 'number' || f.type === 'currency')} />
                </Form.Item></Col>
                <Col span={2}><Form.Item label={t('rules.active')}><Switch checked={wf.active !== false} onChange={(v) => { const { active: _a, ...rest } = wf; setWf(v ? rest : { ...rest, active: false }); }} /></Form.Item></Col>
              </Row>
            </Form>
          </Card>
          <Row gutter={16}>
            <Col span={14}>
              <Card size="small" title={t('workflow.diagram')} extra={<Typography.Text type="secondary">{t('workflow.connectHelp')}</Typography.Text>}>
                <div style={{ height: 460 }} data-testid="workflow-diagram">
                  <ReactFlow nodes={flow.nodes} edges={flow.edges} nodeTypes={NODE_TYPES} fitView nodesDraggable={false} connectionRadius={100} proOptions={{ hideAttribution: true }}
                    onConnect={(c) => { if (!c.source || !c.target) return; const r = connect(wf, c.source, c.target); setWf(r.workflow); setSelection({ transition: r.transition }); }}
                    onNodeClick={(_, n) => setSelection({ state: n.id })} onEdgeClick={(_, e) => setSelection({ transition: e.id.split(':')[0] })} onPaneClick={() => setSelection({})}>
                    <Background />
                    <Controls showInteractive={false} />
                  </ReactFlow>
                </div>
                <Space wrap style={{ marginTop: 8 }}>
                  {wf.transitions.filter((tr) => tr.from.includes('*')).map((tr) => <Tag key={tr.name} style={{ cursor: 'pointer' }} onClick={() => setSelection({ transition: tr.name })}>* → {tr.to}: {tr.name}</Tag>)}
                </Space>
              </Card>
            </Col>
            <Col span={10}>
              {selection.state ? <StatePanel wf={wf} name={selection.state} object={object} onChange={setWf} problems={placed} />
                : selection.transition ? <TransitionPanel wf={wf} name={selection.transition} object={object} onChange={setWf} problems={placed} onRemoved={() => setSelection({})} sources={sources} />
                  : <Card size="small"><Empty description={t('workflow.selectHelp')} /></Card>}
            </Col>
          </Row>
        </>
      )}
    </Space>
  );
}

function StatePanel({ wf, name, object, onChange, problems }: { wf: WorkflowDef; name: string; object: ObjectDef; onChange: (w: WorkflowDef) => void; problems: readonly PlacedProblem[] }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const i = wf.states.findIndex((s) => s.name === name);
  const state = wf.states[i];
  if (!state) return null;
  const mine = below(problems, `states/${i}`);
  const set = (patch: Partial<typeof state>) => onChange({ ...wf, states: wf.states.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  return (
    <Card size="small" title={t('workflow.state', { name })} data-testid="state-panel">
      <Form layout="vertical">
        <Form.Item label={t('workflow.category')} {...statusAt(mine, 'category')}>
          <Select value={state.category} onChange={(category: (typeof CATEGORIES)[number]) => set({ category })} options={CATEGORIES.map((c) => ({ value: c, label: t(`workflow.categories.${c}`) }))} />
        </Form.Item>
        <Form.Item label={t('workflow.probability')} {...statusAt(mine, 'probability')}><InputNumber min={0} max={100} value={state.probability} onChange={(p) => set({ probability: p ?? undefined })} /></Form.Item>
        <Form.Item label={t('field.optionColor')} {...statusAt(mine, 'color')}><ColorPicker value={state.color} allowClear onChange={(c) => set({ color: c.toHexString() })} onClear={() => set({ color: undefined })} /></Form.Item>
        <Form.Item label={t('workflow.requiredFields')} {...statusAt(mine, 'requiredFields')}>
          <Select mode="multiple" allowClear value={state.requiredFields ?? []} onChange={(f: string[]) => set({ requiredFields: f.length ? f : undefined })} options={fieldOptions(object, label)} />
        </Form.Item>
        {mine.filter((p) => !/^(category|probability|color|requiredFields)/.test(p.rest)).map((p, k) => <Alert key={k} type="error" title={`${p.rest} ${p.message}`} />)}
      </Form>
    </Card>
  );
}

function TransitionPanel({ wf, name, object, onChange, problems, onRemoved, sources }: { wf: WorkflowDef; name: string; object: ObjectDef; onChange: (w: WorkflowDef) => void; problems: readonly PlacedProblem[]; onRemoved: () => void; sources: ReturnType<typeof useValueSources> }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { draft } = useDraft();
  const k = wf.transitions.findIndex((x) => x.name === name);
  const tr = wf.transitions[k];
  if (!tr || !draft) return null;
  const mine = below(problems, `transitions/${k}`);
  const set = (next: typeof tr) => onChange({ ...wf, transitions: wf.transitions.map((x, j) => (j === k ? next : x)) });
  const states = [{ value: '*', label: t('workflow.anyState') }, ...wf.states.map((s) => ({ value: s.name, label: s.name }))];
  const guards = tr.guards ?? [];
  return (
    <Card size="small" title={t('workflow.transition', { name })} data-testid="transition-panel" key={name}
      extra={<Button size="small" danger onClick={() => { onChange({ ...wf, transitions: wf.transitions.filter((_, j) => j !== k) }); onRemoved(); }}>{t('rules.delete')}</Button>}>
      <Form layout="vertical">
        <Form.Item label={t('rules.name')} {...statusAt(mine, 'name')}><Input value={tr.name} onChange={(e) => set({ ...tr, name: e.target.value })} /></Form.Item>
        <Form.Item label={t('objects.label')} {...statusAt(mine, 'label')}><LabelsInput value={tr.label} onChange={(l) => set({ ...tr, label: l })} /></Form.Item>
        <Space wrap>
          <Form.Item label={t('workflow.from')} {...statusAt(mine, 'from')}><Select mode="multiple" style={{ minWidth: 200 }} value={tr.from} onChange={(from: string[]) => set({ ...tr, from })} options={states} /></Form.Item>
          <Form.Item label={t('workflow.to')} {...statusAt(mine, 'to')}><Select style={{ minWidth: 160 }} value={tr.to} onChange={(to: string) => set({ ...tr, to })} options={states.slice(1)} /></Form.Item>
        </Space>
        <Form.Item label={t('workflow.roles')} {...statusAt(mine, 'roles')} extra={t('workflow.rolesHelp')}>
          <Select mode="multiple" allowClear value={tr.roles ?? []} onChange={(roles: string[]) => { const { roles: _r, ...rest } = tr; set(roles.length ? { ...rest, roles } : rest); }} options={[...sources.roles]} />
        </Form.Item>
        <Form.Item label={t('workflow.requiredFields')} {...statusAt(mine, 'requiredFields')}>
          <Select mode="multiple" allowClear value={tr.requiredFields ?? []} onChange={(f: string[]) => { const { requiredFields: _f, ...rest } = tr; set(f.length ? { ...rest, requiredFields: f } : rest); }} options={fieldOptions(object, label)} />
        </Form.Item>
        <Form.Item label={t('workflow.manual')} extra={t('workflow.manualHelp')}><Switch checked={tr.manual !== false} onChange={(v) => { const { manual: _m, ...rest } = tr; set(v ? rest : { ...rest, manual: false }); }} /></Form.Item>
        <Typography.Text strong>{t('workflow.guards')}</Typography.Text>
        {guards.map((g, gi) => (
          <Card key={gi} size="small" style={{ marginTop: 8 }} extra={<Button size="small" type="text" danger onClick={() => { const list = guards.filter((_, j) => j !== gi); const { guards: _g, ...rest } = tr; set(list.length ? { ...rest, guards: list } : rest); }}>⨯</Button>}>
            <ConditionBuilder object={object} value={g.conditions} sources={sources} problems={below(mine, `guards/${gi}/conditions`)}
              onChange={(c) => set({ ...tr, guards: guards.map((x, j) => (j === gi ? { ...x, conditions: (c ?? { all: [] }) as Record<string, unknown> } : x)) })} />
            <Form.Item label={t('workflow.guardMessage')} style={{ marginTop: 8, marginBottom: 0 }} {...statusAt(mine, `guards/${gi}/message`)}>
              <LabelsInput value={g.message} onChange={(message) => set({ ...tr, guards: guards.map((x, j) => (j === gi ? { ...x, message } : x)) })} />
            </Form.Item>
          </Card>
        ))}
        <Button size="small" style={{ marginTop: 8 }} onClick={() => set({ ...tr, guards: [...guards, { conditions: { all: [] }, message: { en: '' } }] })}>{t('workflow.addGuard')}</Button>
        <div style={{ marginTop: 12 }}><Typography.Text strong>{t('rules.actions')}</Typography.Text></div>
        <ActionsEditor actions={tr.actions ?? []} object={object} bundle={draft.bundle} sources={sources} types={actionTypesFor('after', draft.bundle, object.name).filter((a) => a !== 'transition')}
          problems={below(mine, 'actions')} onChange={(actions) => { const { actions: _a, ...rest } = tr; set(actions.length ? { ...rest, actions } : rest); }} />
      </Form>
    </Card>
  );
}
