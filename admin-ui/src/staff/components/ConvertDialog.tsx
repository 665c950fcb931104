/**
 * Converting a record (a lead): a new account or an existing one (searched by name), a new
 * contact or an existing one, and an opportunity or none. The API's problems are shown at
 * the inputs they are about (`/account/name` under the account's name) and the rest above
 * the buttons; on success the caller goes to the new opportunity, or else the account.
 */
import { useState } from 'react';
import { Alert, Button, Checkbox, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api';
import type { ConversionDef, ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import { recordName } from '../format';
import type { ApiRecord, ConversionAnswer, ConversionRequest } from '../staffApi';
import { convertRecord, search } from '../staffApi';

type Mode = 'new' | 'existing';
interface Problem {
  readonly pointer: string;
  readonly message: string;
}

/** A record found by name, as a select option. */
function RecordSearch({ object, value, onChange, testId }: { object: ObjectDef; value: string | undefined; onChange: (id: string) => void; testId: string }) {
  const { t } = useTranslation('staff');
  const { language } = useLanguage();
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  const find = async (q: string) => {
    if (!q.trim()) return setOptions([]);
    const answer = await search(q.trim(), [object.name], 10).catch(() => null);
    const items: ApiRecord[] = answer?.results.find((r) => r.object === object.name)?.items ?? [];
    setOptions(items.map((r) => ({ value: r.id, label: recordName(object, r, language) })));
  };
  return (
    <Select showSearch={{ filterOption: false, onSearch: (q) => void find(q) }} value={value} onChange={onChange} options={options} placeholder={t('form.lookupPlaceholder')}
      notFoundContent={t('form.lookupNone')} style={{ width: '100%' }} data-testid={testId} />
  );
}

export function ConvertDialog({ source, conversion, record, open, onClose, onConverted }: {
  source: ObjectDef;
  conversion: ConversionDef;
  record: ApiRecord;
  open: boolean;
  onClose: () => void;
  onConverted: (answer: ConversionAnswer) => void;
}) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { object } = useStaff();
  const navigate = useNavigate();
  const account = object(conversion.account.object);
  const contact = object(conversion.contact.object);
  const opportunity = conversion.opportunity ? object(conversion.opportunity.object) : undefined;
  const text = (name: string) => (typeof record[name] === 'string' ? (record[name] as string) : '');
  const [accountMode, setAccountMode] = useState<Mode>('new');
  const [accountId, setAccountId] = useState<string>();
  const [accountName, setAccountName] = useState(text('company') || recordName(source, record, language));
  const [contactMode, setContactMode] = useState<Mode>('new');
  const [contactId, setContactId] = useState<string>();
  const [withOpportunity, setWithOpportunity] = useState(Boolean(opportunity));
  const [opportunityName, setOpportunityName] = useState(text('company') || recordName(source, record, language));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  if (!account || !contact) return null;

  const at = (pointer: string) => problems.filter((p) => p.pointer === pointer).map((p) => p.message).join('; ') || undefined;
  const placed = new Set([`/account`, `/account/${account.nameField}`, '/contact', opportunity ? `/opportunity/${opportunity.nameField}` : '']);
  const elsewhere = problems.filter((p) => !placed.has(p.pointer));
  const objectOf = (pointer: string) => {
    const key = pointer.split('/')[1] as 'account' | 'contact' | 'opportunity' | 'source' | undefined;
    const def = key === 'source' ? source : key ? object(conversion[key]?.object ?? '') : undefined;
    const field = pointer.split('/')[2];
    const fieldDef = def?.fields.find((f) => f.name === field);
    return [def ? label(def.label, def.name) : '', fieldDef ? label(fieldDef.label, fieldDef.name) : ''].filter(Boolean).join(' · ');
  };

  const submit = async () => {
    const request: ConversionRequest = {
      account: accountMode === 'existing' && accountId ? accountId : { values: { [account.nameField]: accountName } },
      contact: contactMode === 'existing' && contactId ? contactId : {},
      opportunity: opportunity && withOpportunity ? { values: { [opportunity.nameField]: opportunityName } } : false,
    };
    setBusy(true);
    setProblems([]);
    try {
      const answer = await convertRecord(source.name, record.id, record.version, request);
      onConverted(answer);
      if (answer.opportunity && opportunity) navigate(`/app/o/${opportunity.name}/${answer.opportunity.id}`);
      else navigate(`/app/o/${account.name}/${answer.account.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.problems.length) setProblems(e.problems.map((p) => ({ pointer: p.pointer, message: p.message })));
      else setProblems([{ pointer: '', message: e instanceof Error ? e.message : String(e) }]);
    } finally {
      setBusy(false);
    }
  };

  const status = (pointer: string) => (at(pointer) ? ('error' as const) : undefined);
  return (
    <Modal open={open} title={t('convert.title', { name: recordName(source, record, language) })} onCancel={onClose} onOk={() => void submit()} okText={t('convert.submit')}
      cancelText={t('common.cancel')} confirmLoading={busy} okButtonProps={{ 'data-testid': 'convert-submit' } as React.ComponentProps<typeof Button>} destroyOnHidden width={560}>
      <div data-testid="convert-dialog">
      <Form layout="vertical" component="div">
        <Typography.Title level={5}>{label(account.label, account.name)}</Typography.Title>
        <Form.Item validateStatus={status('/account')} help={at('/account')}>
          <Radio.Group value={accountMode} onChange={(e) => setAccountMode(e.target.value as Mode)} data-testid="convert-account-mode"
            options={[{ value: 'new', label: t('convert.createNew') }, { value: 'existing', label: t('convert.attachExisting') }]} />
        </Form.Item>
        {accountMode === 'new' ? (
          <Form.Item label={label(account.fields.find((f) => f.name === account.nameField)?.label, account.nameField)} validateStatus={status(`/account/${account.nameField}`)} help={at(`/account/${account.nameField}`)}>
            <Input value={accountName} onChange={(e) => setAccountName(e.target.value)} data-testid="convert-account-name" />
          </Form.Item>
        ) : (
          <Form.Item label={t('convert.find', { object: label(account.label, account.name) })}>
            <RecordSearch object={account} value={accountId} onChange={setAccountId} testId="convert-account-search" />
          </Form.Item>
        )}
        <Typography.Title level={5}>{label(contact.label, contact.name)}</Typography.Title>
        <Form.Item validateStatus={status('/contact')} help={at('/contact')}>
          <Radio.Group value={contactMode} onChange={(e) => setContactMode(e.target.value as Mode)} data-testid="convert-contact-mode"
            options={[{ value: 'new', label: t('convert.createFrom', { name: recordName(source, record, language) }) }, { value: 'existing', label: t('convert.attachExisting') }]} />
        </Form.Item>
        {contactMode === 'existing' && (
          <Form.Item label={t('convert.find', { object: label(contact.label, contact.name) })}>
            <RecordSearch object={contact} value={contactId} onChange={setContactId} testId="convert-contact-search" />
          </Form.Item>
        )}
        {opportunity && (
          <>
            <Typography.Title level={5}>{label(opportunity.label, opportunity.name)}</Typography.Title>
            <Form.Item>
              <Checkbox checked={withOpportunity} onChange={(e) => setWithOpportunity(e.target.checked)} data-testid="convert-opportunity-create">
                {t('convert.createOpportunity', { object: label(opportunity.label, opportunity.name) })}
              </Checkbox>
            </Form.Item>
            {withOpportunity && (
              <Form.Item label={label(opportunity.fields.find((f) => f.name === opportunity.nameField)?.label, opportunity.nameField)} validateStatus={status(`/opportunity/${opportunity.nameField}`)} help={at(`/opportunity/${opportunity.nameField}`)}>
                <Input value={opportunityName} onChange={(e) => setOpportunityName(e.target.value)} data-testid="convert-opportunity-name" />
              </Form.Item>
            )}
          </>
        )}
        {elsewhere.length > 0 && (
          <Alert type="error" showIcon title={t('convert.problems')} data-testid="convert-problems"
            description={<Space orientation="vertical" size={0}>{elsewhere.map((p, i) => <span key={i}>{objectOf(p.pointer) ? `${objectOf(p.pointer)}: ` : ''}{p.message}</span>)}</Space>} />
        )}
      </Form>
      </div>
    </Modal>
  );
}
