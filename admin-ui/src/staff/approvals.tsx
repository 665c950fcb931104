/**
 * The approvals inbox on the home page (`GET /api/approvals/inbox`, requests waiting for the
 * user's decision, oldest first), once the API serves it: until the caller's OpenAPI document
 * lists the route, nothing shows. Each item opens its record, where the decision is made.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Empty, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useLanguage } from '../useLanguage';
import { useStaff } from './StaffContext';
import { formatDateTime } from './format';

export interface InboxItem {
  readonly request: string;
  readonly process: string;
  readonly object: string;
  readonly recordId: string;
  readonly recordName: string | null;
  readonly step: string;
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly via: string;
  readonly since: string;
}

export const APPROVALS_ROUTE = 'GET /api/approvals/inbox';

export function useApprovalsInbox(): { available: boolean; render: () => React.ReactNode } {
  const { hasRoute } = useStaff();
  return { available: hasRoute(APPROVALS_ROUTE), render: () => <Inbox /> };
}

function Inbox() {
  const { t } = useTranslation('staff');
  const { language, label } = useLanguage();
  const { nameOf, object } = useStaff();
  const [items, setItems] = useState<InboxItem[] | null>(null);
  useEffect(() => {
    api<{ items: InboxItem[] }>('/api/approvals/inbox').then((r) => setItems(r.data.items ?? []), () => setItems([]));
  }, []);
  if (items === null) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.approvalsEmpty')} />;
  return (
    <>
      {items.map((item) => {
        const def = object(item.object);
        return (
          <div key={item.request} style={{ padding: '10px 0', borderBottom: '1px solid #f5f5f5' }} data-testid="inbox-item">
            <Link to={`/app/o/${item.object}/${item.recordId}`}>{item.recordName ?? item.recordId}</Link>
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[def ? label(def.label, item.object) : item.object, `${item.process} · ${item.step}`, nameOf('user', item.submittedBy) ?? '', formatDateTime(item.since, language)].filter(Boolean).join(' · ')}
              </Typography.Text>
            </div>
          </div>
        );
      })}
    </>
  );
}
