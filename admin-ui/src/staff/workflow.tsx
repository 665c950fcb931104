/**
 * Workflows as staff meet them, once the API serves them (the caller's OpenAPI document lists
 * the routes): transitions as buttons on the record page — an unavailable one says why, one
 * that only needs fields asks for them — and the record's approval: submit, approve, reject,
 * recall. `GET …/transitions` answers the state and every transition with its reasons.
 */
import { useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Space, Steps, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import type { Labels } from '../labels';
import type { TransitionOption, TransitionsAnswer } from './workflowModel';
import { hasWorkflowApi, offeredTransitions, reasonText, transitionText } from './workflowModel';
import type { FieldDef, ObjectDef } from '../types';
import { useLanguage } from '../useLanguage';
import { useStaff } from './StaffContext';
import type { ApiRecord } from './staffApi';
import { FieldInput } from './components/FieldInput';
import { fieldLabel, formatDateTime } from './format';

export type { TransitionReason, TransitionOption, TransitionsAnswer } from './workflowModel';
export { hasWorkflowApi, offeredTransitions, reasonText, transitionText } from './workflowModel';

const path = (object: string, id: string) => `/api/objects/${object}/records/${id}`;

export async function loadTransitions(object: string, id: string): Promise<TransitionsAnswer> {
  return (await api<TransitionsAnswer>(`${path(object, id)}/transitions`)).data;
}

export async function runTransition(object: string, id: string, name: string, version: number, values: Record<string, unknown> = {}, comment?: string): Promise<ApiRecord> {
  const body = { ...(Object.keys(values).length ? { values } : {}), ...(comment ? { comment } : {}) };
  return (await api<ApiRecord>(`${path(object, id)}/transitions/${name}`, { method: 'POST', headers: { 'if-match': `"${version}"` }, body })).data;
}

/** A problem answer as one line: its problems' messages, else its title. */
export const problemText = (e: unknown) => (e instanceof ApiError ? (e.problems.length ? [...new Set(e.problems.map((p) => p.message))].join(' — ') : e.message) : e instanceof Error ? e.message : String(e));

export function Transitions({ object, record, onChanged }: { object: ObjectDef; record: ApiRecord; onChanged: (r: ApiRecord) => void }) {
  const { t } = useTranslation('staff');
  const { hasRoute } = useStaff();
  const { language } = useLanguage();
  const { message } = App.useApp();
  const available = hasWorkflowApi(hasRoute, object.name);
  const [answer, setAnswer] = useState<TransitionsAnswer | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [asking, setAsking] = useState<(TransitionOption & { needsFields: readonly string[] }) | null>(null);
  useEffect(() => {
    if (available) loadTransitions(object.name, record.id).then(setAnswer, () => setAnswer(null));
  }, [available, object.name, record.id, record.version]);
  if (!available || !answer?.workflow) return null;
  const run = async (tr: TransitionOption, values: Record<string, unknown> = {}, comment?: string) => {
    setBusy(tr.name);
    try {
      onChanged(await runTransition(object.name, record.id, tr.name, record.version, values, comment));
      setAsking(null);
      message.success(t('workflow.done', { name: transitionText(tr, language) }));
    } catch (e) {
      message.error(problemText(e));
    } finally {
      setBusy(null);
    }
  };
  const offered = offeredTransitions(answer);
  return (
    <Space wrap data-testid="transitions">
      {answer.approval?.locked && <Tag color="orange">{t('workflow.locked')}</Tag>}
      {offered.map((tr) => (
        <Tooltip key={tr.name} title={tr.available ? undefined : reasonText(tr, language)}>
          <Button
            disabled={!tr.available && tr.needsFields.length === 0}
            loading={busy === tr.name}
            onClick={() => (tr.available ? void run(tr) : setAsking(tr))}
            data-testid={`transition-${tr.name}`}
          >
            {transitionText(tr, language)}
          </Button>
        </Tooltip>
      ))}
      <TransitionFields object={object} transition={asking} busy={busy !== null} onCancel={() => setAsking(null)} onSubmit={(values, comment) => asking && void run(asking, values, comment)} />
    </Space>
  );
}

/** The fields a transition needs before it can be made (and a comment), asked in a small form. */
export function TransitionFields({ object, transition, busy, onCancel, onSubmit }: {
  object: ObjectDef;
  transition: { name: string; label?: Labels; needsFields: readonly string[] } | null;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (values: Record<string, unknown>, comment?: string) => void;
}) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const [form] = Form.useForm<Record<string, unknown>>();
  if (!transition) return null;
  const fields = transition.needsFields.map((n) => object.fields.find((f) => f.name === n)).filter((f): f is FieldDef => Boolean(f));
  return (
    <Modal open title={transitionText(transition, language)} onCancel={onCancel} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden okButtonProps={{ 'data-testid': 'transition-submit' } as React.ComponentProps<typeof Button>}>
      <Typography.Paragraph type="secondary">{t('workflow.needsFields')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => {
        const { __comment, ...values } = v;
        onSubmit(Object.fromEntries(Object.entries(values).filter(([, x]) => x !== undefined && x !== null && x !== '')), typeof __comment === 'string' && __comment ? __comment : undefined);
      }}>
        {fields.map((f) => (
          <Form.Item key={f.name} name={f.name} label={fieldLabel(object, f.name, language)} rules={[{ required: true, message: t('board.needed') }]}>
            <FieldInput field={f} />
          </Form.Item>
        ))}
        <Form.Item name="__comment" label={t('workflow.comment')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ApprovalRequest {
  readonly id: string;
  readonly process: string;
  readonly status: string;
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly step: number | null;
  readonly steps: ReadonlyArray<{ name: string; status: string; approvers: ReadonlyArray<{ user: string; decision?: string }> }>;
  readonly events: ReadonlyArray<{ at: string; by: string; action: string; step?: string; comment?: string }>;
}

/** Objects the API said have no approval process (a submit answered 404): the card stays hidden for them this session. */
const withoutProcess = new Set<string>();

/** The record's approval: the pending request's steps and decisions, and the actions open to the user. */
export function Approval({ object, record, onChanged }: { object: ObjectDef; record: ApiRecord; onChanged: () => void }) {
  const { t } = useTranslation('staff');
  const { hasRoute, me, nameOf, can } = useStaff();
  const { language } = useLanguage();
  const { message, modal } = App.useApp();
  const available = hasRoute(`GET /api/objects/${object.name}/records/{id}/approvals`) || hasRoute('GET /api/objects/{object}/records/{id}/approvals');
  const [requests, setRequests] = useState<ApprovalRequest[] | null>(null);
  const [workflow, setWorkflow] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    if (!available) return;
    api<{ items: ApprovalRequest[] }>(`${path(object.name, record.id)}/approvals`).then((r) => setRequests(r.data.items), () => setRequests([]));
    // Submitting is offered where the object has a workflow (the staff metadata does not list approval processes).
    if (hasWorkflowApi(hasRoute, object.name)) loadTransitions(object.name, record.id).then((a) => setWorkflow(a.workflow), () => setWorkflow(null));
  }, [available, object.name, record.id, record.version, hasRoute]);
  if (!available || requests === null || (requests.length === 0 && (!workflow || withoutProcess.has(object.name)))) return null;
  const pending = requests.find((r) => r.status === 'pending');
  const waitingForMe = pending && pending.step !== null && pending.steps[pending.step]?.approvers.some((a) => a.user === me.userId && !a.decision);
  const act = (action: string, body: Record<string, unknown> = {}) => async () => {
    setBusy(action);
    try {
      if (action === 'submit') await api(`${path(object.name, record.id)}/approvals`, { method: 'POST', body, headers: { 'if-match': `"${record.version}"` } });
      else await api(`${path(object.name, record.id)}/approvals/${pending!.id}/${action}`, { method: 'POST', body });
      message.success(t(`workflow.${action}Done`));
      onChanged();
    } catch (e) {
      // The staff metadata does not list approval processes: an object without one says so once, then the card goes.
      if (action === 'submit' && e instanceof ApiError && e.status === 404 && e.code === 'route.notFound') {
        withoutProcess.add(object.name);
        setRequests([]);
      }
      message.error(problemText(e));
    } finally {
      setBusy(null);
    }
  };
  const withComment = (action: 'approve' | 'reject') => {
    let comment = '';
    modal.confirm({
      title: t(`workflow.${action}`),
      content: <Input.TextArea autoSize={{ minRows: 2 }} placeholder={t('workflow.comment')} onChange={(e) => (comment = e.target.value)} data-testid="approval-comment" />,
      onOk: () => act(action, comment ? { comment } : {})(),
    });
  };
  return (
    <Card size="small" title={t('workflow.approval')} style={{ marginBottom: 16 }}>
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="approval">
      {pending ? (
        <>
          <Typography.Text strong>{t('workflow.pending', { process: pending.process })}</Typography.Text>
          <Steps size="small" current={pending.step ?? pending.steps.length} items={pending.steps.map((s) => ({ title: s.name, description: s.approvers.map((a) => `${nameOf('user', a.user) ?? a.user}${a.decision ? ` (${a.decision})` : ''}`).join(', ') }))} />
          <Space wrap>
            {waitingForMe && <Button type="primary" loading={busy === 'approve'} onClick={() => withComment('approve')} data-testid="approve">{t('workflow.approve')}</Button>}
            {waitingForMe && <Button danger loading={busy === 'reject'} onClick={() => withComment('reject')} data-testid="reject">{t('workflow.reject')}</Button>}
            {pending.submittedBy === me.userId && <Button loading={busy === 'recall'} onClick={() => void act('recall')()}>{t('workflow.recall')}</Button>}
          </Space>
        </>
      ) : (
        can(object.name).update && <Button loading={busy === 'submit'} onClick={() => void act('submit')()} data-testid="submit-approval">{t('workflow.submit')}</Button>
      )}
      {requests.slice(0, 3).flatMap((r) => r.events).slice(-6).map((e, i) => (
        <Typography.Text key={i} type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(e.at, language)} · {nameOf('user', e.by) ?? e.by} · {t(`workflow.event.${e.action}`, { defaultValue: e.action })}{e.step ? ` (${e.step})` : ''}{e.comment ? ` — “${e.comment}”` : ''}
        </Typography.Text>
      ))}
    </Space>
    </Card>
  );
}
