/**
 * The approvals inbox on the home page, once the workflow API serves one (`GET /api/approvals`,
 * being built in the workflows issue): until the caller's OpenAPI document lists it, nothing shows.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Empty, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { pickLabel } from '../labels';
import type { Labels } from '../labels';
import { useLanguage } from '../useLanguage';
import { useStaff } from './StaffContext';

interface InboxItem {
  readonly id: string;
  readonly object?: string;
  readonly recordId?: string;
  readonly title?: Labels | string;
  readonly step?: Labels | string;
  readonly requestedAt?: string;
}

export const APPROVALS_ROUTE = 'GET /api/approvals';

export function useApprovalsInbox(): { available: boolean; render: () => React.ReactNode } {
  const { hasRoute } = useStaff();
  const available = hasRoute(APPROVALS_ROUTE);
  return { available, render: () => <Inbox /> };
}

function Inbox() {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const [items, setItems] = useState<InboxItem[] | null>(null);
  useEffect(() => {
    api<{ items: InboxItem[] }>('/api/approvals').then((r) => setItems(r.data.items ?? []), () => setItems([]));
  }, []);
  const text = (v: Labels | string | undefined) => (typeof v === 'string' ? v : pickLabel(v, language, ''));
  if (items === null) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.approvalsEmpty')} />;
  return (
    <>
      {items.map((item) => (
        <div key={item.id} style={{ padding: '10px 0', borderBottom: '1px solid #f5f5f5' }} data-testid="approval">
          {item.object && item.recordId ? <Link to={`/app/o/${item.object}/${item.recordId}`}>{text(item.title) || item.recordId}</Link> : text(item.title) || item.id}
          <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{[text(item.step), item.requestedAt ? new Date(item.requestedAt).toLocaleString(language) : ''].filter(Boolean).join(' · ')}</Typography.Text></div>
        </div>
      ))}
    </>
  );
}
