/** One dashboard: who sees it, and its report tiles in order (dragged into place), each with an optional title and a width. */
import { useState } from 'react';
import { useParams } from 'react-router';
import { Button, Card, Col, Empty, Form, Input, Row, Segmented, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { API_NAME } from '../../../../functions/engine/metadata/types';
import { useDraft } from '../../draft';
import { EntryHeader, useDraftEntry } from '../../draftEntry';
import { below, statusAt } from '../../editing';
import type { PlacedProblem } from '../../editing';
import { apiName } from '../../fieldSettings';
import { MAX_TILES, emptyDashboard, fromDashboardForm, toDashboardForm } from '../../reports/reportDrafts';
import type { DashboardForm } from '../../reports/reportDrafts';
import type { DashboardDef, DashboardTileDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { OtherProblems, useValueSources } from '../rules/common';
import { SortableList } from '../SortableList';
import { LabelsField } from './LabelsField';

const CLAIMED = ['name', 'label', 'description', 'roles', 'tiles'];
const ROUTES = { list: '/reports?kind=dashboards', entry: (name: string) => `/reports/dashboard/${name}` };

export default function DashboardEditor() {
  const { t } = useTranslation();
  const { name } = useParams();
  const { draft } = useDraft();
  const dashboards = draft?.bundle.dashboards ?? [];
  const index = name === 'new' ? -1 : dashboards.findIndex((d) => d.name === name);
  if (!draft || (name !== 'new' && index < 0)) return <Card loading={!draft}>{draft ? t('reports.notFound', { name }) : null}</Card>;
  return <DashboardFormView key={name} index={index} original={index >= 0 ? dashboards[index]! : emptyDashboard()} />;
}

function DashboardFormView({ index, original }: { index: number; original: DashboardDef }) {
  const { t } = useTranslation();
  const { draft } = useDraft();
  const entry = useDraftEntry('dashboards', index, ROUTES);
  const { placed } = entry;
  const sources = useValueSources(undefined);
  const [form] = Form.useForm<DashboardForm>();
  const [initial] = useState(() => toDashboardForm(original));
  const bundle = draft!.bundle;
  const others = (bundle.dashboards ?? []).filter((_, i) => i !== index).map((d) => d.name);

  const submit = async () => {
    await form.validateFields();
    await entry.save(fromDashboardForm(form.getFieldsValue(true) as DashboardForm, index >= 0 ? original : undefined), original.name);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <EntryHeader title={index < 0 ? t('reports.newDashboard') : t('reports.dashboardTitle', { name: original.name })} entry={entry} labels={{ back: t('reports.back'), delete: t('reports.delete') }}
        deleteConfirm={index < 0 ? null : { title: t('reports.deleteConfirm', { name: original.name }) }} saveTestId="save-dashboard" onSave={() => void submit().catch(() => undefined)} />
      <OtherProblems problems={placed} claimed={CLAIMED} />
      <Form<DashboardForm> form={form} layout="vertical" initialValues={initial}>
        <Card size="small">
          <Row gutter={16}>
            <Col span={6}><Form.Item name="name" label={t('reports.name')} {...statusAt(placed, 'name')}
              rules={[{ required: true, message: t('reports.nameRequired') }, { pattern: API_NAME, message: t('reports.nameInvalid') },
                { validator: async (_, v: string) => { if (others.includes(v)) throw new Error(t('reports.nameTaken')); } }]}>
              <Input data-testid="dashboard-name" onBlur={(e) => form.setFieldValue('name', apiName(e.target.value) || e.target.value)} />
            </Form.Item></Col>
            <Col span={18}><Form.Item name="roles" label={t('reports.roles')} extra={t('reports.rolesHelp')} {...statusAt(placed, 'roles')}>
              <Select data-testid="dashboard-roles" mode="multiple" allowClear placeholder={t('reports.everyone')} optionFilterProp="label" options={sources.roles.map((r) => ({ value: r.value, label: r.label }))} />
            </Form.Item></Col>
          </Row>
          <Form.Item name="label" label={t('reports.label')} {...statusAt(placed, 'label')}
            rules={[{ validator: async (_, v: DashboardForm['label']) => { if (!v || !Object.values(v).some(Boolean)) throw new Error(t('reports.labelRequired')); } }]}>
            <LabelsField testId="dashboard-label" />
          </Form.Item>
          <Form.Item name="description" label={t('reports.description')} {...statusAt(placed, 'description')}>
            <LabelsField />
          </Form.Item>
        </Card>
        <Card size="small" title={t('reports.tiles')} style={{ marginTop: 16 }}>
          <Form.Item name="tiles" {...statusAt(placed.filter((p) => p.rest === 'tiles'), 'tiles')}
            rules={[{ validator: async (_, v: DashboardTileDef[] | undefined) => { if (!v?.length) throw new Error(t('reports.noTiles')); } }]}>
            <TilesInput problems={below(placed, 'tiles')} />
          </Form.Item>
        </Card>
      </Form>
    </Space>
  );
}

/** The tiles as one form control: a sortable list of report, title and width, and a report picker that adds one. */
function TilesInput({ value = [], onChange, problems }: { value?: DashboardTileDef[]; onChange?: (tiles: DashboardTileDef[]) => void; problems: readonly PlacedProblem[] }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { draft } = useDraft();
  const reports = draft?.bundle.reports ?? [];
  const options = reports.map((r) => ({ value: r.name, label: `${label(r.label, r.name)} (${r.name})` }));
  const set = (tiles: DashboardTileDef[]) => onChange?.(tiles);
  const patch = (i: number, p: Partial<DashboardTileDef>) => set(value.map((tile, j) => (j === i ? { ...tile, ...p } : tile)));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {value.length ? (
        <Row gutter={8} wrap={false} style={{ paddingLeft: 36 }}>
          <Col flex="280px"><Typography.Text type="secondary">{t('reports.report')}</Typography.Text></Col>
          <Col flex="auto"><Typography.Text type="secondary">{t('reports.tileTitle')}</Typography.Text></Col>
          <Col flex="none"><Typography.Text type="secondary">{t('reports.width')}</Typography.Text></Col>
        </Row>
      ) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
      <SortableList testId="dashboard-tiles" items={value} onChange={set} render={(tile, i, handle, remove) => {
        // Problems follow the tile's position, as the API numbers them.
        const at = (key: string) => statusAt(below(problems, String(i)), key);
        return (
          <Card size="small" data-testid={`tile-row-${i}`}>
            <Row gutter={8} align="middle" wrap={false}>
              <Col flex="none">{handle}</Col>
              <Col flex="280px"><Form.Item style={{ margin: 0 }} {...at('report')}>
                <Select data-testid={`tile-report-${i}`} showSearch optionFilterProp="label" value={tile.report} options={options} onChange={(report: string) => patch(i, { report })} style={{ width: '100%' }} />
              </Form.Item></Col>
              <Col flex="auto"><Form.Item style={{ margin: 0 }} {...at('title')}>
                <LabelsField value={tile.title ?? {}} onChange={(title) => patch(i, { title })} testId={`tile-title-${i}`} />
              </Form.Item></Col>
              <Col flex="none"><Segmented data-testid={`tile-width-${i}`} value={tile.width ?? 'half'} onChange={(w) => patch(i, { width: w as 'half' | 'full' })}
                options={[{ value: 'half', label: t('reports.half') }, { value: 'full', label: t('reports.full') }]} /></Col>
              <Col flex="none"><Button onClick={remove}>{t('reports.remove')}</Button></Col>
            </Row>
          </Card>
        );
      }} />
      {value.length < MAX_TILES && (
        <Select data-testid="add-tile" placeholder={t('reports.addTile')} style={{ width: 360 }} showSearch optionFilterProp="label" value={null} options={options}
          onChange={(report: string) => set([...value, { report }])} />
      )}
    </Space>
  );
}
