/**
 * Workflow transitions as buttons on the record page, once the workflow API serves them
 * (`GET …/records/{id}/transitions`, `POST …/transitions/{name}`; the workflows issue is
 * building it): until the caller's OpenAPI document lists the route, nothing shows.
 */
import { useEffect, useState } from 'react';
import { App, Button, Space, Tooltip } from 'antd';
import { api, ApiError } from '../api';
import { pickLabel } from '../labels';
import type { Labels } from '../labels';
import type { ObjectDef } from '../types';
import { useLanguage } from '../useLanguage';
import { useStaff } from './StaffContext';
import type { ApiRecord } from './staffApi';

export interface TransitionOption {
  readonly name: string;
  readonly label?: Labels | string;
  readonly to?: string;
  /** Whether the caller may take it now; `reasons` say why not. */
  readonly allowed?: boolean;
  readonly reasons?: ReadonlyArray<{ message?: string } | string>;
}

export const transitionsRoute = (object: string) => `GET /api/objects/${object}/records/{id}/transitions`;

export const transitionText = (t: TransitionOption, language: 'en' | 'zh-CN') => (typeof t.label === 'string' ? t.label : pickLabel(t.label, language, t.name));
export const reasonText = (t: TransitionOption) => (t.reasons ?? []).map((r) => (typeof r === 'string' ? r : (r.message ?? ''))).filter(Boolean).join('; ');

export async function loadTransitions(object: string, id: string): Promise<TransitionOption[]> {
  const { data } = await api<{ items?: TransitionOption[]; transitions?: TransitionOption[] }>(`/api/objects/${object}/records/${id}/transitions`);
  return data.items ?? data.transitions ?? [];
}

export async function runTransition(object: string, id: string, name: string, version: number): Promise<ApiRecord> {
  const { data } = await api<ApiRecord & { record?: ApiRecord }>(`/api/objects/${object}/records/${id}/transitions/${name}`, { method: 'POST', headers: { 'if-match': `"${version}"` }, body: {} });
  return data.record ?? data;
}

export function Transitions({ object, record, onChanged }: { object: ObjectDef; record: ApiRecord; onChanged: (r: ApiRecord) => void }) {
  const { hasRoute } = useStaff();
  const { language } = useLanguage();
  const { message } = App.useApp();
  const available = hasRoute(transitionsRoute(object.name));
  const [options, setOptions] = useState<TransitionOption[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    if (available) loadTransitions(object.name, record.id).then(setOptions, () => setOptions([]));
  }, [available, object.name, record.id, record.version]);
  if (!available || options.length === 0) return null;
  const run = async (t: TransitionOption) => {
    setBusy(t.name);
    try {
      onChanged(await runTransition(object.name, record.id, t.name, record.version));
    } catch (e) {
      message.error(e instanceof ApiError ? [e.message, ...e.problems.map((p) => p.message)].join(' — ') : String(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space wrap data-testid="transitions">
      {options.map((t) => (
        <Tooltip key={t.name} title={t.allowed === false ? reasonText(t) : undefined}>
          <Button disabled={t.allowed === false} loading={busy === t.name} onClick={() => void run(t)}>{transitionText(t, language)}</Button>
        </Tooltip>
      ))}
    </Space>
  );
}
