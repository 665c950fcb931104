/** Create or edit one object of the draft and its fields; problems appear at the field and setting they name. */
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, App, Badge, Button, Card, Col, Empty, Form, Input, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { useDraft } from '../draft';
import type { DraftView } from '../draft';
import { FIELD_TYPES, apiName, cleanField, newField } from '../fieldSettings';
import type { DraftField, FieldType } from '../fieldSettings';
import { fieldKey, placeProblems } from '../pointers';
import type { Problem } from '../pointers';
import type { ObjectDef } from '../types';
import { useLanguage } from '../useLanguage';
import { FieldSettings } from './FieldSettings';
import { IndexEditor } from './IndexEditor';

type EditedObject = Omit<ObjectDef, 'fields'> & { fields: DraftField[] };

const blank = (): EditedObject => ({
  name: '',
  label: { en: '', 'zh-CN': '' },
  nameField: 'name',
  sharing: 'private',
  fields: [{ ...newField('text', 'name'), label: { en: 'Name', 'zh-CN': '名称' }, required: true }],
});

export default function ObjectEditor() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const params = useParams();
  const isNew = params.name === undefined;
  const { draft, problems: validated, setDraft, setProblems, reload } = useDraft();
  const stored = draft?.bundle.objects.find((o) => o.name === params.name);
  const [object, setObject] = useState<EditedObject | null>(isNew ? blank() : null);
  const [selected, setSelected] = useState(0);
  const [nameTouched, setNameTouched] = useState(!isNew);
  const [saveProblems, setSaveProblems] = useState<Problem[] | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!isNew && stored && !object) setObject(structuredClone(stored) as unknown as EditedObject);
  }, [isNew, stored, object]);

  // The bundle the object will be part of: the pointers of a failed save are computed against it.
  const candidate = useMemo(() => {
    const objects = draft?.bundle.objects ?? [];
    if (!object) return objects;
    const i = objects.findIndex((o) => o.name === object.name);
    const asDef = object as unknown as ObjectDef;
    return i >= 0 ? objects.map((o, j) => (j === i ? asDef : o)) : [...objects, asDef];
  }, [draft, object]);
  const placed = useMemo(
    () => (saveProblems ? placeProblems(saveProblems, candidate, object ?? undefined) : placeProblems(validated ?? [], draft?.bundle.objects ?? [])),
    [saveProblems, validated, candidate, object, draft],
  );

  if (!draft || !object) return <Card loading />;
  const objectProblems = placed.objects.get(object.name) ?? [];
  const at = (setting: string) => {
    const messages = objectProblems.filter((p) => p.setting.split('/')[0] === setting).map((p) => p.message);
    return messages.length ? { validateStatus: 'error' as const, help: messages.join('; ') } : {};
  };
  const update = (patch: Partial<EditedObject>) => setObject({ ...object, ...patch });
  const setField = (i: number, field: DraftField) => update({ fields: object.fields.map((f, j) => (j === i ? field : f)) });
  const addField = (type: FieldType) => {
    const n = object.fields.length + 1;
    update({ fields: [...object.fields, { ...newField(type, `field_${n}`), label: { en: '' } }] });
    setSelected(object.fields.length);
  };
  const removeField = (i: number) => {
    update({ fields: object.fields.filter((_, j) => j !== i) });
    setSelected(Math.max(0, Math.min(selected, object.fields.length - 2)));
  };

  const save = async () => {
    setSaving(true);
    try {
      const { name, ...body } = { ...object, fields: object.fields.map(cleanField) };
      const { data } = await api<DraftView>(`/api/metadata/draft/objects/${encodeURIComponent(name)}`, {
        method: 'PUT', body, headers: { 'if-match': `"${draft.revision}"` },
      });
      setSaveProblems(null);
      // The last validation was of the previous revision; its pointers may no longer fit.
      setProblems(null);
      setDraft(data);
      message.success(t('editor.saved'));
      if (isNew) navigate(`/objects/${name}`, { replace: true });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 409 || error.status === 412)) {
        await reload();
        message.warning(t('draft.conflict'));
      } else if (error instanceof ApiError && error.problems.length) {
        setSaveProblems(error.problems);
        message.error(t('editor.invalid'));
      } else {
        message.error(t('common.error', { message: error instanceof Error ? error.message : String(error) }));
      }
    } finally {
      setSaving(false);
    }
  };

  const field = object.fields[selected];
  const textual = object.fields.filter((f) => ['text', 'auto-number', 'email', 'phone'].includes(f.type) && f.name);
  const looseObjectProblems = objectProblems.filter((p) => !['label', 'name', 'nameField', 'sharing', 'indexes'].includes(p.setting.split('/')[0] ?? ''));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {isNew ? t('editor.newTitle') : t('editor.editTitle', { label: label(object.label, object.name) })}
          {object.source && <Tag color="blue" style={{ marginLeft: 12 }}>{object.source}</Tag>}
        </Typography.Title>
        <Space>
          <Button onClick={() => navigate('/objects')}>{t('editor.back')}</Button>
          {!isNew && <Button onClick={() => navigate(`/objects/${object.name}/layouts`)} data-testid="open-layouts">{t('layout.open')}</Button>}
          <Button type="primary" loading={saving} onClick={save} data-testid="save-object">{t('editor.save')}</Button>
        </Space>
      </Space>
      {looseObjectProblems.length > 0 && (
        <Alert type="error" title={t('editor.objectProblems')} data-testid="object-problems"
          description={<ul>{looseObjectProblems.map((p, i) => <li key={i}><code>{p.setting}</code> {p.message}</li>)}</ul>} />
      )}
      <Card size="small">
        <Form layout="vertical">
          <Row gutter={16}>
            <Col span={6}><Form.Item label={t('editor.labelEn')} {...at('label')}>
              <Input data-testid="object-label-en" value={object.label.en ?? ''} onChange={(e) => update({
                label: { ...object.label, en: e.target.value }, ...(nameTouched ? {} : { name: apiName(e.target.value) }),
              })} />
            </Form.Item></Col>
            <Col span={6}><Form.Item label={t('editor.labelZh')}>
              <Input data-testid="object-label-zh" value={object.label['zh-CN'] ?? ''} onChange={(e) => update({ label: { ...object.label, 'zh-CN': e.target.value } })} />
            </Form.Item></Col>
            <Col span={4}><Form.Item label={t('editor.name')} {...at('name')}>
              <Input data-testid="object-name" disabled={!isNew} value={object.name} onChange={(e) => { setNameTouched(true); update({ name: e.target.value }); }} />
            </Form.Item></Col>
            <Col span={4}><Form.Item label={t('editor.nameField')} {...at('nameField')}>
              <Select value={object.nameField} onChange={(v) => update({ nameField: v })} options={textual.map((f) => ({ value: f.name, label: label(f.label, f.name) }))} />
            </Form.Item></Col>
            <Col span={3}><Form.Item label={t('editor.sharing')} {...at('sharing')}>
              <Select value={object.sharing ?? 'private'} onChange={(v) => update({ sharing: v })} options={[
                { value: 'private', label: t('editor.sharingPrivate') }, { value: 'read', label: t('editor.sharingRead') }, { value: 'read-write', label: t('editor.sharingReadWrite') },
              ]} />
            </Form.Item></Col>
            <Col span={1}><Form.Item label={t('editor.trackHistory')}>
              <Switch checked={object.trackHistory !== false} onChange={(v) => update({ trackHistory: v ? undefined : false })} />
            </Form.Item></Col>
          </Row>
        </Form>
      </Card>
      <Row gutter={16}>
        <Col span={12}>
          <Card size="small" title={t('editor.fields')} extra={
            <Select<FieldType> placeholder={t('editor.addField')} style={{ width: 200 }} value={null as unknown as FieldType} onChange={addField} data-testid="add-field" virtual={false} showSearch optionFilterProp="label"
              options={FIELD_TYPES.map((type) => ({ value: type, label: t(`types.${type}`) }))} />
          }>
            <Table<DraftField>
              size="small" pagination={false} rowKey={(_, i) => String(i)} dataSource={object.fields}
              rowClassName={(_, i) => (i === selected ? 'ant-table-row-selected' : '')}
              onRow={(_, i) => ({ onClick: () => setSelected(i ?? 0), style: { cursor: 'pointer' }, 'data-testid': `field-row-${i}` } as React.HTMLAttributes<HTMLElement>)}
              columns={[
                { title: t('objects.label'), key: 'label', render: (_, f) => label(f.label, f.name) || <em>{f.name}</em> },
                { title: t('objects.name'), dataIndex: 'name', render: (n: string) => <code>{n}</code> },
                { title: t('field.type'), dataIndex: 'type', render: (type: FieldType) => <Tag>{t(`types.${type}`)}</Tag> },
                { key: 'problems', render: (_, __, i) => <Badge count={placed.fields.get(fieldKey(object.name, i))?.length ?? 0} data-testid={`field-problems-${i}`} /> },
                { key: 'remove', render: (_, f, i) => f.name !== object.nameField && <Button size="small" type="text" danger onClick={(e) => { e.stopPropagation(); removeField(i); }}>{t('editor.remove')}</Button> },
              ]}
            />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={t('editor.fieldSettings')}>
            {field ? (
              <FieldSettings key={selected} field={field} onChange={(f) => setField(selected, f)} objects={draft.bundle.objects}
                object={object as unknown as ObjectDef} bundle={{ ...draft.bundle, objects: candidate }}
                problems={placed.fields.get(fieldKey(object.name, selected)) ?? []} />
            ) : <Empty description={t('editor.noField')} />}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('indexes.title')}>
        <IndexEditor indexes={object.indexes ?? []} fields={object.fields as never} problems={objectProblems.filter((p) => p.setting.startsWith('indexes'))}
          onChange={(indexes) => { const { indexes: _i, ...rest } = object; setObject(indexes.length ? { ...rest, indexes } : rest); }} />
      </Card>
    </Space>
  );
}
