/**
 * Roles: the hierarchy as a tree (drag a role under another to make it its parent), and for the
 * selected role its labels, admin permissions, and the permission matrix — objects ×
 * create/read/update/delete/viewAll/modifyAll/unmask with data scope and default field level,
 * each object's fields × hidden/read/edit. Problems appear at the cell they name.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Empty, Form, Input, Popconfirm, Radio, Row, Select, Space, Table, Tag, Tooltip, Tree, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from '../../draft';
import { problemsUnder, statusAt, useSaveDraft } from '../../editing';
import type { PlacedProblem } from '../../editing';
import { apiName } from '../../fieldSettings';
import { OBJECT_PERMISSIONS, nextState, roleTree, setFieldAccess, setGrant, wouldCycle } from '../../roles/permissionMatrix';
import type { ObjectPermission } from '../../roles/permissionMatrix';
import type { FieldAccess, ObjectDef, RoleDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { LabelsInput } from '../rules/common';

const ADMIN_PERMISSIONS = ['manageMetadata', 'manageUsers', 'manageTemplates', 'importData', 'exportData'] as const;
const SCOPES = ['own', 'team', 'subordinates', 'all'] as const;

function Cell({ value, onClick, problem, testId }: { value: boolean | undefined; onClick: () => void; problem?: string | undefined; testId: string }) {
  const { t } = useTranslation();
  const tag = value === true ? <Tag color="green">✓ {t('roles.grant')}</Tag> : value === false ? <Tag color="red">✕ {t('roles.deny')}</Tag> : <Tag>—</Tag>;
  return (
    <Tooltip title={problem ?? t('roles.cycleHelp')}>
      <span role="button" tabIndex={0} data-testid={testId} style={{ cursor: 'pointer', outline: problem ? '2px solid #ff4d4f' : undefined }}
        onClick={onClick} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onClick()}>{tag}</span>
    </Tooltip>
  );
}

export default function Roles() {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const { draft, problems } = useDraft();
  const save = useSaveDraft();
  const [roles, setRoles] = useState<RoleDef[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    if (draft && !roles) {
      const list = structuredClone(draft.bundle.roles ?? []);
      setRoles(list);
      setSelected(list[0]?.name ?? null);
    }
  }, [draft, roles]);
  const stored = draft?.bundle.roles ?? [];
  const tree = useMemo(() => roleTree(roles ?? [], (r) => `${label(r.label, r.name)} (${r.name})`), [roles, label]);
  if (!draft || !roles) return <Card loading />;
  const index = roles.findIndex((r) => r.name === selected);
  const role = roles[index];
  // Problems are at the stored positions: a role keeps its position while edited.
  const placed = role ? problemsUnder(problems, `/roles/${stored.findIndex((r) => r.name === role.name) >= 0 ? stored.findIndex((r) => r.name === role.name) : index}`) : [];
  const update = (next: RoleDef) => {
    setRoles(roles.map((r, i) => (i === index ? next : r)));
    if (next.name !== role?.name) setSelected(next.name);
  };
  const submit = async () => {
    setSaving(true);
    await save((bundle) => ({ ...bundle, roles }));
    setSaving(false);
  };
  const add = () => {
    let n = roles.length + 1;
    while (roles.some((r) => r.name === `role_${n}`)) n++;
    setRoles([...roles, { name: `role_${n}`, label: { en: `Role ${n}` } }]);
    setSelected(`role_${n}`);
  };
  const objects = draft.bundle.objects.filter((o) => !filter || o.name.includes(filter) || label(o.label, o.name).toLowerCase().includes(filter.toLowerCase()));
  const roleProblems = new Set(problemsUnder(problems, '/roles').map((p) => p.rest.split('/')[0]));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('roles.title')}</Typography.Title>
        <Space>
          <Button onClick={add} data-testid="new-role">{t('roles.new')}</Button>
          <Button type="primary" loading={saving} onClick={() => void submit()} data-testid="save-roles">{t('editor.save')}</Button>
        </Space>
      </Space>
      <Row gutter={16}>
        <Col span={6}>
          <Card size="small" title={t('roles.hierarchy')} extra={<Typography.Text type="secondary">{t('roles.dragHelp')}</Typography.Text>}>
            <Tree data-testid="role-tree" blockNode draggable defaultExpandAll treeData={tree as never} selectedKeys={selected ? [selected] : []}
              titleRender={(n) => { const i = stored.findIndex((r) => r.name === String((n as { key: string }).key)); return <span>{(n as { title: string }).title}{i >= 0 && roleProblems.has(String(i)) && <Tag color="red" style={{ marginLeft: 4 }}>!</Tag>}</span>; }}
              onSelect={(keys) => keys[0] !== undefined && setSelected(String(keys[0]))}
              onDrop={(info) => {
                const dragged = String(info.dragNode.key);
                // Dropped onto a role: under it; into the gap between roles: beside it (same parent).
                const target = roles.find((r) => r.name === String(info.node.key));
                const parent = info.dropToGap ? target?.parent : target?.name;
                if (wouldCycle(roles, dragged, parent)) return;
                setRoles(roles.map((r) => {
                  if (r.name !== dragged) return r;
                  const { parent: _p, ...rest } = r;
                  return parent ? { ...rest, parent } : rest;
                }));
              }} />
          </Card>
        </Col>
        <Col span={18}>
          {!role ? <Empty description={t('roles.none')} /> : (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Card size="small" extra={<Popconfirm title={t('rules.deleteConfirm', { name: role.name })} onConfirm={() => { setRoles(roles.filter((_, i) => i !== index)); setSelected(roles[0]?.name ?? null); }}>
                <Button danger size="small">{t('rules.delete')}</Button></Popconfirm>}>
                <Form layout="vertical">
                  <Row gutter={16}>
                    <Col span={6}><Form.Item label={t('rules.name')} {...statusAt(placed, 'name')}>
                      <Input data-testid="role-name" value={role.name} onChange={(e) => update({ ...role, name: e.target.value })} onBlur={(e) => update({ ...role, name: apiName(e.target.value) || e.target.value })} />
                    </Form.Item></Col>
                    <Col span={12}><Form.Item label={t('objects.label')} {...statusAt(placed, 'label')}>
                      <LabelsInput value={role.label} onChange={(l) => update({ ...role, label: l })} />
                    </Form.Item></Col>
                    <Col span={6}><Form.Item label={t('roles.parent')} {...statusAt(placed, 'parent')} extra={t('roles.parentHelp')}>
                      <Select allowClear value={role.parent} onChange={(p?: string) => { const { parent: _p, ...rest } = role; update(p ? { ...rest, parent: p } : rest); }}
                        options={roles.filter((r) => r.name !== role.name && !wouldCycle(roles, role.name, r.name)).map((r) => ({ value: r.name, label: `${label(r.label, r.name)} (${r.name})` }))} />
                    </Form.Item></Col>
                  </Row>
                  <Form.Item label={t('roles.admin')} {...statusAt(placed, 'admin')} style={{ marginBottom: 0 }}>
                    <Space wrap>
                      {ADMIN_PERMISSIONS.map((p) => (
                        <Checkbox key={p} checked={role.admin?.[p] === true} onChange={(e) => {
                          const admin = { ...role.admin };
                          if (e.target.checked) admin[p] = true;
                          else delete admin[p];
                          const { admin: _a, ...rest } = role;
                          update(Object.keys(admin).length ? { ...rest, admin } : rest);
                        }}>{t(`roles.adminPermissions.${p}`)}</Checkbox>
                      ))}
                    </Space>
                  </Form.Item>
                </Form>
              </Card>
              <OtherRoleProblems problems={placed} />
              <Card size="small" title={t('roles.matrix')} extra={<Input.Search allowClear placeholder={t('roles.filter')} data-testid="matrix-filter" onChange={(e) => setFilter(e.target.value)} style={{ width: 220 }} />}>
                <Table<ObjectDef> size="small" rowKey="name" dataSource={objects} pagination={false} scroll={{ x: true }} data-testid="permission-matrix"
                  expandable={{ expandedRowRender: (o) => <FieldLevels role={role} object={o} onChange={update} problems={placed} /> }}
                  columns={[
                    { title: t('rules.object'), key: 'object', fixed: 'left', render: (_, o) => <span>{label(o.label, o.name)} <code>{o.name}</code></span> },
                    ...OBJECT_PERMISSIONS.map((p: ObjectPermission) => ({
                      title: t(`roles.permissions.${p}`), key: p, align: 'center' as const,
                      render: (_: unknown, o: ObjectDef) => {
                        const problem = placed.filter((x) => x.rest === `objects/${o.name}/${p}`).map((x) => x.message).join('; ');
                        return <Cell testId={`perm-${o.name}-${p}`} value={role.objects?.[o.name]?.[p]} problem={problem || undefined} onClick={() => update(setGrant(role, o.name, p, nextState(role.objects?.[o.name]?.[p])))} />;
                      },
                    })),
                    {
                      title: t('roles.scope'), key: 'scope', render: (_, o) => (
                        <Select size="small" style={{ width: 130 }} allowClear placeholder={t('roles.scopes.own')} value={role.objects?.[o.name]?.scope} data-testid={`scope-${o.name}`} status={statusAt(placed, `objects/${o.name}/scope`).validateStatus}
                          onChange={(s?: (typeof SCOPES)[number]) => update(setGrant(role, o.name, 'scope', s))} options={SCOPES.map((s) => ({ value: s, label: t(`roles.scopes.${s}`) }))} />
                      ),
                    },
                    {
                      title: t('roles.fieldDefault'), key: 'fieldDefault', render: (_, o) => (
                        <Select size="small" style={{ width: 110 }} allowClear placeholder={t('roles.levels.edit')} value={role.objects?.[o.name]?.fieldDefault}
                          onChange={(s?: 'edit' | 'read' | 'none') => update(setGrant(role, o.name, 'fieldDefault', s))} options={(['edit', 'read', 'none'] as const).map((s) => ({ value: s, label: t(`roles.levels.${s}`) }))} />
                      ),
                    },
                  ]} />
              </Card>
            </Space>
          )}
        </Col>
      </Row>
    </Space>
  );
}

function OtherRoleProblems({ problems }: { problems: readonly PlacedProblem[] }) {
  const { t } = useTranslation();
  const rest = problems.filter((p) => !/^(name|label|parent|admin)(\/|$)/.test(p.rest) && !/^objects\/[^/]+\/(create|read|update|delete|viewAll|modifyAll|unmask|scope)$/.test(p.rest) && !/^objects\/[^/]+\/fields\//.test(p.rest));
  if (!rest.length) return null;
  return <Alert type="error" title={t('rules.problems')} description={<ul style={{ margin: 0 }}>{rest.map((p, i) => <li key={i}><code>{p.rest}</code> {p.message}</li>)}</ul>} />;
}

/** One object's fields × hidden/read/edit for a role; "default" leaves the field to the object's default level. */
function FieldLevels({ role, object, onChange, problems }: { role: RoleDef; object: ObjectDef; onChange: (r: RoleDef) => void; problems: readonly PlacedProblem[] }) {
  const { t } = useTranslation();
  const { label } = useLanguage();
  const levels = role.objects?.[object.name]?.fields ?? {};
  return (
    <Table size="small" rowKey="name" pagination={false} dataSource={object.fields} data-testid={`field-levels-${object.name}`} columns={[
      { title: t('users.field'), key: 'field', render: (_, f) => <span>{label(f.label, f.name)} <code>{f.name}</code></span> },
      {
        title: t('users.level'), key: 'level', render: (_, f) => {
          const status = statusAt(problems, `objects/${object.name}/fields/${f.name}`);
          return (
            <Space>
              <Radio.Group size="small" optionType="button" value={levels[f.name] ?? ''} onChange={(e) => onChange(setFieldAccess(role, object.name, f.name, (e.target.value || undefined) as FieldAccess | undefined))}
                options={[{ value: '', label: t('roles.levels.default') }, { value: 'hidden', label: t('roles.levels.hidden') }, { value: 'read', label: t('roles.levels.read') }, { value: 'edit', label: t('roles.levels.edit') }]} />
              {status.help && <Typography.Text type="danger">{status.help}</Typography.Text>}
            </Space>
          );
        },
      },
    ]} />
  );
}
