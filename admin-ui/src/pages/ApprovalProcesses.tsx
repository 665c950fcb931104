/**
 * Approval processes: which records may be submitted (entry conditions, submitter roles),
 * lock and recall, ordered steps (dragged into order) each with its conditions, approvers
 * (users, roles, the submitter's manager) and mode, and the actions on submit, approve,
 * reject and recall. Problems appear at the step, approver or action they name.
 */
import { useEffect, useState } from 'react';
import { Button, Card, Col, Collapse, Empty, Form, Input, Popconfirm, Radio, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../draft';
import { below, problemsUnder, statusAt, useSaveDraft } from '../editing';
import { actionTypesFor } from '../rules/ruleDrafts';
import type { ApprovalProcessDef, ApprovalStepDef, ApproverDef } from '../../../functions/engine/metadata/types';
import { useLanguage } from '../useLanguage';
import { SortableList } from './SortableList';
import { ActionsEditor } from './rules/ActionsEditor';
import { ConditionBuilder } from './rules/ConditionBuilder';
import { LabelsInput, useValueSources } from './rules/common';

const HOOKS = ['onSubmit', 'onApprove', 'onReject', 'onRecall'] as const;

const encode = (a: ApproverDef) => (a.type === 'user' ? `user:${a.user}` : a.type === 'role' ? `role:${a.role}` : `manager:${a.level ?? 1}`);
const decode = (s: string): ApproverDef => (s.startsWith('user:') ? { type: 'user', user: s.slice(5) } : s.startsWith('role:') ? { type: 'role', role: s.slice(5) } : Number(s.slice(8)) > 1 ? { type: 'manager', level: Number(s.slice(8)) } : { type: 'manager' });

export default function ApprovalProcesses() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { draft, problems } = useDraft();
  const save = useSaveDraft();
  const [processes, setProcesses] = useState<ApprovalProcessDef[] | null>(null);
  const [current, setCurrent] = useState(0);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (draft && !processes) setProcesses(structuredClone(draft.bundle.approvalProcesses ?? []));
  }, [draft, processes]);
  const process = processes?.[current];
  const object = draft?.bundle.objects.find((o) => o.name === process?.object);
  const sources = useValueSources(object);
  if (!draft || !processes) return <Card loading />;
  const storedIndex = (draft.bundle.approvalProcesses ?? []).findIndex((p) => p.name === process?.name);
  const placed = process && storedIndex >= 0 ? problemsUnder(problems, `/approvalProcesses/${storedIndex}`) : [];
  const set = (next: ApprovalProcessDef) => setProcesses(processes.map((p, i) => (i === current ? next : p)));
  const submit = async () => {
    setSaving(true);
    await save((bundle) => ({ ...bundle, approvalProcesses: processes }));
    setSaving(false);
  };
  const approverOptions = [
    { value: 'manager:1', label: t('approvals.manager') }, { value: 'manager:2', label: t('approvals.managersManager') },
    ...sources.roles.map((r) => ({ value: `role:${r.value}`, label: `${t('rules.role')}: ${r.label}` })),
    ...sources.users.map((u) => ({ value: `user:${u.email ?? u.id}`, label: `${t('rules.user')}: ${u.name}` })),
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Radio.Group optionType="button" value={current} onChange={(e) => setCurrent(e.target.value as number)}
          options={processes.map((p, i) => ({ value: i, label: `${label(p.label, p.name)} (${p.object})` }))} />
        <Select style={{ width: 260 }} placeholder={t('approvals.new')} value={null} showSearch optionFilterProp="label" data-testid="new-approval"
          onChange={(o: string) => { setProcesses([...processes, { name: `${o}_approval`.slice(0, 40), object: o, steps: [{ name: 'manager', approvers: [{ type: 'manager' }] }] }]); setCurrent(processes.length); }}
          options={draft.bundle.objects.map((o) => ({ value: o.name, label: `${label(o.label, o.name)} (${o.name})` }))} />
        <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="save-approvals">{t('editor.save')}</Button>
      </Space>
      {!process || !object ? <Empty description={t('approvals.none')} /> : (
        <>
          <Card size="small" extra={<Popconfirm title={t('rules.deleteConfirm', { name: process.name })} onConfirm={() => { setProcesses(processes.filter((_, i) => i !== current)); setCurrent(0); }}><Button size="small" danger>{t('rules.delete')}</Button></Popconfirm>}>
            <Form layout="vertical">
              <Row gutter={12}>
                <Col span={5}><Form.Item label={t('rules.name')} {...statusAt(placed, 'name')}><Input value={process.name} onChange={(e) => set({ ...process, name: e.target.value })} /></Form.Item></Col>
                <Col span={9}><Form.Item label={t('objects.label')} {...statusAt(placed, 'label')}><LabelsInput value={process.label} onChange={(l) => set({ ...process, label: l })} /></Form.Item></Col>
                <Col span={6}><Form.Item label={t('approvals.submitters')} {...statusAt(placed, 'submitterRoles')} extra={t('approvals.submittersHelp')}>
                  <Select mode="multiple" allowClear value={process.submitterRoles ?? []} onChange={(r: string[]) => { const { submitterRoles: _s, ...rest } = process; set(r.length ? { ...rest, submitterRoles: r } : rest); }} options={[...sources.roles]} />
                </Form.Item></Col>
                <Col span={4}>
                  <Space orientation="vertical">
                    <span>{t('rules.active')} <Switch size="small" checked={process.active !== false} onChange={(v) => { const { active: _a, ...rest } = process; set(v ? rest : { ...rest, active: false }); }} /></span>
                    <span>{t('approvals.lock')} <Switch size="small" checked={process.lock !== false} onChange={(v) => { const { lock: _l, ...rest } = process; set(v ? rest : { ...rest, lock: false }); }} /></span>
                    <span>{t('approvals.recall')} <Switch size="small" checked={process.allowRecall !== false} onChange={(v) => { const { allowRecall: _r, ...rest } = process; set(v ? rest : { ...rest, allowRecall: false }); }} /></span>
                  </Space>
                </Col>
              </Row>
              <Form.Item label={t('approvals.entry')}>
                <ConditionBuilder key={`${current}-entry`} object={object} value={process.entryConditions} sources={sources} problems={below(placed, 'entryConditions')}
                  onChange={(c) => { const { entryConditions: _e, ...rest } = process; set(c === undefined ? rest : { ...rest, entryConditions: c as Record<string, unknown> }); }} />
              </Form.Item>
            </Form>
          </Card>
          <Typography.Title level={5}>{t('approvals.steps')}</Typography.Title>
          <SortableList items={process.steps} onChange={(steps) => set({ ...process, steps })} testId="approval-steps" render={(step: ApprovalStepDef, i, handle, remove) => {
            const mine = below(placed, `steps/${i}`);
            const setStep = (next: ApprovalStepDef) => set({ ...process, steps: process.steps.map((s, j) => (j === i ? next : s)) });
            return (
              <Card size="small" title={<Space>{handle}<Tag>{i + 1}</Tag><Input style={{ width: 200 }} value={step.name} status={statusAt(mine, 'name').validateStatus} onChange={(e) => setStep({ ...step, name: e.target.value })} /></Space>}
                extra={<Button size="small" type="text" danger onClick={remove}>{t('editor.remove')}</Button>}>
                <Form layout="vertical">
                  <Row gutter={12}>
                    <Col span={14}><Form.Item label={t('approvals.approvers')} {...statusAt(mine, 'approvers')}>
                      <Select mode="multiple" value={step.approvers.map(encode)} onChange={(v: string[]) => setStep({ ...step, approvers: v.map(decode) })} options={approverOptions} optionFilterProp="label" />
                    </Form.Item></Col>
                    <Col span={10}><Form.Item label={t('approvals.mode')}>
                      <Radio.Group value={step.mode ?? 'first'} onChange={(e) => { const { mode: _m, ...rest } = step; setStep(e.target.value === 'first' ? rest : { ...rest, mode: 'all' }); }}
                        options={[{ value: 'first', label: t('approvals.first') }, { value: 'all', label: t('approvals.all') }]} />
                    </Form.Item></Col>
                  </Row>
                  <Form.Item label={t('approvals.stepWhen')} style={{ marginBottom: 0 }}>
                    <ConditionBuilder object={object} value={step.conditions} sources={sources} problems={below(mine, 'conditions')}
                      onChange={(c) => { const { conditions: _c, ...rest } = step; setStep(c === undefined ? rest : { ...rest, conditions: c as Record<string, unknown> }); }} />
                  </Form.Item>
                </Form>
              </Card>
            );
          }} />
          <Button onClick={() => set({ ...process, steps: [...process.steps, { name: `step_${process.steps.length + 1}`, approvers: [{ type: 'manager' }] }] })}>{t('approvals.addStep')}</Button>
          <Collapse size="small" items={HOOKS.map((hook) => ({
            key: hook,
            label: <span>{t(`approvals.hooks.${hook}`)} {(process[hook]?.length ?? 0) > 0 && <Tag>{process[hook]!.length}</Tag>}</span>,
            children: <ActionsEditor key={`${current}-${hook}`} actions={process[hook] ?? []} object={object} bundle={draft.bundle} sources={sources} types={actionTypesFor('after', draft.bundle, object.name)}
              problems={below(placed, hook)} onChange={(actions) => { const { [hook]: _h, ...rest } = process; set(actions.length ? { ...rest, [hook]: actions } : rest); }} />,
          }))} />
        </>
      )}
    </Space>
  );
}
