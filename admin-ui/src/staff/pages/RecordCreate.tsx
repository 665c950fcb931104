/** A new record: the form generated from the object's record schema (and record type, when it has several). */
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { App, Breadcrumb, Form, Result, Select, Skeleton, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import { RecordForm } from '../components/RecordForm';
import { createRecord } from '../staffApi';
import { useRecordSchema } from '../useRecordSchema';
import { defaultValues } from '../formModel';

export default function RecordCreate() {
  const { object: name = '' } = useParams();
  const [search] = useSearchParams();
  const { t } = useTranslation('staff');
  const { label } = useLanguage();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { object } = useStaff();
  const def = object(name);
  const [recordType, setRecordType] = useState<string | null>(search.get('recordType'));
  const { schema, error } = useRecordSchema(name, recordType);
  if (!def) return <Result status="404" title={t('record.noObject')} />;
  if (error) return <Result status="error" title={error instanceof ApiError ? error.message : String(error)} />;
  const types = schema?.['x-recordTypes'] ?? [];
  // A related list's "New" passes the parent: ?account=<id> fills that lookup. The chosen record
  // type is a value too (field logic may read it), not the platform field's default.
  const initial = {
    ...defaultValues(def.fields),
    ...Object.fromEntries(def.fields.filter((f) => f.type === 'lookup' && search.get(f.name)).map((f) => [f.name, search.get(f.name)])),
    ...(recordType ? { record_type: recordType } : {}),
  };
  return (
    <Space orientation="vertical" style={{ width: '100%', maxWidth: 1100 }}>
      <Breadcrumb items={[{ title: <Link to={`/app/o/${name}`}>{label(def.pluralLabel ?? def.label, name)}</Link> }, { title: t('form.new') }]} />
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="create-title">
        {t('form.createTitle', { object: label(def.label, name) })}
      </Typography.Title>
      {!schema ? (
        <Skeleton active />
      ) : (
        <RecordForm
          key={`${name}/${recordType ?? ''}`}
          object={def}
          schema={schema}
          before={null}
          initial={initial}
          extra={
            types.length > 1 ? (
              <Form.Item label={t('form.recordType')}>
                <Select value={recordType ?? schema['x-recordType'] ?? types.find((x) => x.default)?.name} onChange={setRecordType} options={types.map((x) => ({ value: x.name, label: label(x.label, x.name) }))} style={{ maxWidth: 320 }} data-testid="record-type" />
              </Form.Item>
            ) : null
          }
          submit={(payload) => createRecord(name, recordType ? { ...payload, record_type: recordType } : payload)}
          onSaved={(record) => {
            message.success(t('record.created'));
            navigate(`/app/o/${name}/${record.id}`);
          }}
          onCancel={() => navigate(-1)}
        />
      )}
    </Space>
  );
}
