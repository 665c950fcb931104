/**
 * A list view of an object: columns, filters and sorts the API serves, saved views, pages over
 * the cursor, inline edit, bulk actions, group headers with counts and sums; cards on phones.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Col, Dropdown, Empty, Grid, List, Result, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps, TableColumnType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, session } from '../../api';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import { BulkBar } from '../components/BulkBar';
import { FilterBar, fieldOrOwner } from '../components/FilterBar';
import { InlineCell } from '../components/InlineCell';
import { ViewBar } from '../components/ViewBar';
import { SYSTEM_COLUMNS, defaultColumns, fieldLabel, formatValue, optionLabel, recordName } from '../format';
import type { ViewFilter } from '../listQuery';
import { groupOptions, listParams, searchFromState, sortOptions, stateFromSearch, sumFields, validSort } from '../listQuery';
import type { AggregateAnswer, ApiRecord, SavedView } from '../staffApi';
import { aggregate, listRecords, listViews } from '../staffApi';
import { boardField } from '../board';

const PAGE = 50;
const COMPUTED = new Set(['formula', 'rollup', 'auto-number']);

type GroupRow = { __group: string | null; count: number; sum: Record<string, number> };
type Row = ApiRecord | GroupRow;
const isGroup = (r: Row): r is GroupRow => '__group' in r;

export default function RecordList() {
  const { object: name = '' } = useParams();
  const { object } = useStaff();
  const def = object(name);
  const { t } = useTranslation('staff');
  if (!def) return <Result status="404" title={t('record.noObject')} />;
  return <ListOf key={name} def={def} />;
}

function ListOf({ def }: { def: ObjectDef }) {
  const { t } = useTranslation('staff');
  const { label, language } = useLanguage();
  const { message } = App.useApp();
  const { can, nameOf, rememberNames, hasRoute } = useStaff();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const wide = screens.md !== false;
  const caps = can(def.name);
  const [search, setSearch] = useSearchParams();
  const url = useMemo(() => stateFromSearch(search), [search]);
  const filters = url.filters;
  const sort = validSort(def, filters, url.sort);
  const [views, setViews] = useState<SavedView[] | null>(null);
  const [columns, setColumns] = useState<string[]>(() => defaultColumns(def));
  const [groupBy, setGroupBy] = useState<string | null>(null);
  const [items, setItems] = useState<ApiRecord[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [meta, setMeta] = useState<{ servedBy: string; residualFilters: string[] } | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [groups, setGroups] = useState<AggregateAnswer | null>(null);
  const current = views?.find((v) => v.id === url.view) ?? null;

  useEffect(() => {
    listViews(def.name).then(setViews, () => setViews([]));
  }, [def.name]);
  // A view named in the URL brings its columns and grouping once the views are known.
  useEffect(() => {
    if (current) {
      setColumns(current.columns);
      setGroupBy(current.groupBy);
    }
  }, [current]);

  const setState = (next: { filters?: ViewFilter[]; sort?: string | null; view?: string | null }) => {
    const f = next.filters ?? filters;
    setSearch(searchFromState({ filters: f, sort: validSort(def, f, next.sort === undefined ? sort : next.sort), view: next.view === undefined ? url.view : next.view }));
  };

  const query = listParams({ filters, sort });
  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await listRecords(def.name, { filters, sort, limit: PAGE, cursor: after });
        rememberNames(def.name, page.items);
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setMeta(page.meta);
      } catch (e) {
        setError(e as Error);
        if (!after) setItems([]);
      } finally {
        setLoading(false);
      }
    },
    [def.name, query], // eslint-disable-line react-hooks/exhaustive-deps
  );
  useEffect(() => {
    setSelected(new Set());
    void load(null);
  }, [load]);
  useEffect(() => {
    if (!groupBy) return setGroups(null);
    let live = true;
    aggregate(def.name, filters, groupBy, sumFields(def)).then((a) => live && setGroups(a), () => live && setGroups(null));
    return () => void (live = false);
  }, [def, groupBy, query]); // eslint-disable-line react-hooks/exhaustive-deps

  const replace = (r: ApiRecord) => {
    rememberNames(def.name, [r]);
    setItems((prev) => prev.map((x) => (x.id === r.id ? r : x)));
  };

  const sortable = sortOptions(def, filters);
  const editable = (field: string) => caps.update && caps.editable.has(field) && !COMPUTED.has(fieldOrOwner(def, field)?.type ?? 'formula');
  const sums = sumFields(def);
  const groupField = groupBy ? fieldOrOwner(def, groupBy) : undefined;
  const groupName = (key: string | null) => (key === null ? t('list.noValue') : groupField ? (groupField.type === 'picklist' ? optionLabel(groupField, key, language) : formatValue(groupField, groupField.type === 'boolean' ? key === 'true' : key, language, nameOf)) : key);
  const groupHeader = (g: GroupRow) => (
    <Space wrap data-testid="group-header">
      <Typography.Text strong>{groupName(g.__group)}</Typography.Text>
      <Tag>{t('list.groupCount', { count: g.count })}</Tag>
      {sums.map((f) => (g.sum[f] ? <Tag key={f} color="gold">Σ {fieldLabel(def, f, language)}: {formatValue(def.fields.find((x) => x.name === f), g.sum[f], language)}</Tag> : null))}
    </Space>
  );

  const rows: Row[] = useMemo(() => {
    if (!groupBy || !groups) return items;
    const out: Row[] = [];
    const keyOf = (r: ApiRecord) => (r[groupBy] === undefined || r[groupBy] === null ? null : String(r[groupBy]));
    for (const g of groups.groups) {
      out.push({ __group: g.key, count: g.count, sum: g.sum });
      out.push(...items.filter((r) => keyOf(r) === g.key));
    }
    const known = new Set(groups.groups.map((g) => g.key));
    out.push(...items.filter((r) => !known.has(keyOf(r))));
    return out;
  }, [items, groups, groupBy]);

  const tableColumns: TableColumnType<Row>[] = columns.map((c, index) => {
    const field = fieldOrOwner(def, c);
    const isSortable = sortable.includes(c);
    return {
      key: c,
      title: fieldLabel(def, c, language),
      ...(isSortable ? { sorter: true, sortOrder: sort === c ? ('ascend' as const) : sort === `-${c}` ? ('descend' as const) : null } : {}),
      onCell: (r: Row) => (isGroup(r) ? { colSpan: index === 0 ? columns.length : 0 } : {}),
      render: (_: unknown, r: Row) => {
        if (isGroup(r)) return index === 0 ? groupHeader(r) : null;
        if (c === def.nameField) return <Link to={`/app/o/${def.name}/${r.id}`} data-testid="record-link">{recordName(def, r, language)}</Link>;
        if (!field) return formatValue(undefined, r[c], language, nameOf);
        return <InlineCell object={def.name} field={field} record={r} editable={editable(c)} onSaved={replace} />;
      },
    };
  });

  const [exporting, setExporting] = useState(false);
  const exportCsv = async () => {
    setExporting(true);
    // Exactly the view on screen: its filters, its sort and its columns in their order.
    const res = await fetch(`/api/objects/${def.name}/export?${listParams({ filters, sort }, { columns: columns.join(',') })}`, { headers: { authorization: `Bearer ${session.token()}`, 'accept-language': language } });
    setExporting(false);
    if (!res.ok) return void message.error(t('list.exportFailed'));
    const href = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement('a'), { href, download: `${def.name}.csv` });
    a.click();
    URL.revokeObjectURL(href);
    if (res.headers.get('x-tessera-truncated') === 'true') message.warning(t('list.exportTruncated'));
  };

  const selectedRecords = items.filter((r) => selected.has(r.id));
  const selectable = caps.update || caps.delete;
  const canImport = (caps.create || caps.update) && hasRoute('POST /api/imports');
  const canMerge = caps.update && caps.delete;
  const dataMenu: MenuProps['items'] = [
    ...(canImport ? [{ key: 'import', label: <span data-testid="data-import">{t('data.import')}</span> }, { key: 'history', label: t('data.history') }] : []),
    { key: 'duplicates', label: <span data-testid="data-duplicates">{t('data.duplicates')}</span> },
    ...(caps.export ? [{ key: 'export', label: t('data.export') }] : []),
  ];
  const onDataMenu: MenuProps['onClick'] = ({ key }) => {
    if (key === 'import') navigate(`/app/o/${def.name}/import`);
    else if (key === 'history') navigate(`/app/o/${def.name}/import?tab=history`);
    else if (key === 'duplicates') navigate(`/app/o/${def.name}/duplicates`);
    else void exportCsv().catch(() => setExporting(false));
  };
  const board = boardField(def);
  const plural = label(def.pluralLabel ?? def.label, def.name);
  const empty = (
    <Empty
      data-testid="list-empty"
      description={filters.length ? t('list.emptyFiltered') : t('list.empty', { objects: plural })}
    >
      {filters.length ? <Button onClick={() => setState({ filters: [] })}>{t('list.clearFilters')}</Button> : caps.create ? <Button type="primary" onClick={() => navigate(`/app/o/${def.name}/new`)}>{t('list.createFirst', { object: label(def.label, def.name) })}</Button> : null}
    </Empty>
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle" gutter={[8, 8]}>
        <Col>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="list-title">{plural}</Typography.Title>
        </Col>
        <Col>
          <Space wrap>
            {board && <Button onClick={() => navigate(`/app/o/${def.name}/board`)} data-testid="open-board">{t('board.open')}</Button>}
            {caps.export && <Button loading={exporting} onClick={() => void exportCsv().catch(() => setExporting(false))} data-testid="export">{t('list.export')}</Button>}
            {canImport && <Button onClick={() => navigate(`/app/o/${def.name}/import`)} data-testid="import">{t('data.import')}</Button>}
            <Dropdown menu={{ items: dataMenu, onClick: onDataMenu }} trigger={['click']}><Button data-testid="data-menu">{t('data.menu')} ▾</Button></Dropdown>
            {caps.create && <Button type="primary" onClick={() => navigate(`/app/o/${def.name}/new`)} data-testid="new-record">{t('common.new')}</Button>}
          </Space>
        </Col>
      </Row>
      <ViewBar
        object={def.name}
        views={views}
        current={current}
        body={{ columns, filters, sort, groupBy }}
        onPick={(v) => {
          if (v) {
            setColumns(v.columns);
            setGroupBy(v.groupBy);
            setSearch(searchFromState({ filters: v.filters, sort: v.sort, view: v.id }));
          } else {
            setColumns(defaultColumns(def));
            setGroupBy(null);
            setSearch('');
          }
        }}
        onSaved={(v) => {
          setViews((prev) => [...(prev ?? []).filter((x) => x.id !== v.id), v].sort((a, b) => Number(b.mine) - Number(a.mine) || a.name.localeCompare(b.name)));
          setState({ view: v.id });
        }}
        onDeleted={(v) => {
          setViews((prev) => (prev ?? []).filter((x) => x.id !== v.id));
          setState({ view: null });
        }}
      />
      <FilterBar object={def} filters={filters} onChange={(f) => setState({ filters: f })} />
      <Space wrap>
        <Select
          style={{ minWidth: 200 }}
          value={sort ?? ''}
          onChange={(s: string) => setState({ sort: s || null })}
          options={[{ value: '', label: t('list.newestFirst') }, ...sortable.flatMap((f) => [{ value: f, label: `${fieldLabel(def, f, language)} ↑` }, { value: `-${f}`, label: `${fieldLabel(def, f, language)} ↓` }])]}
          data-testid="sort-select"
          prefix={t('list.sort')}
        />
        <Select
          style={{ minWidth: 180 }}
          allowClear
          placeholder={t('list.groupBy')}
          value={groupBy ?? undefined}
          onChange={(g?: string) => setGroupBy(g ?? null)}
          options={groupOptions(def).map((g) => ({ value: g, label: fieldLabel(def, g, language) }))}
          data-testid="group-select"
        />
        {wide && (
          <Select
            mode="multiple"
            style={{ minWidth: 260, maxWidth: 520 }}
            maxTagCount="responsive"
            value={columns}
            onChange={(c: string[]) => setColumns(c.length ? c : [def.nameField])}
            options={[...def.fields.map((f) => f.name), ...SYSTEM_COLUMNS].map((c) => ({ value: c, label: fieldLabel(def, c, language) }))}
            prefix={t('list.columns')}
            data-testid="columns-select"
          />
        )}
      </Space>
      {error && (
        <Alert type="error" showIcon data-testid="list-error" title={error.message}
          description={error instanceof ApiError && error.problems.length ? <ul style={{ margin: 0 }}>{error.problems.map((p, i) => <li key={i}>{p.message}</li>)}</ul> : undefined} />
      )}
      {meta && meta.residualFilters.length > 0 && (
        <Alert type="warning" showIcon title={t('list.residual', { fields: meta.residualFilters.map((f) => fieldLabel(def, f, language)).join(', ') })} />
      )}
      {canMerge && selected.size >= 2 && selected.size <= 3 && (
        <Button onClick={() => navigate(`/app/o/${def.name}/merge?ids=${[...selected].join(',')}`)} data-testid="bulk-merge">{t('data.merge')} ({selected.size})</Button>
      )}
      {selectable && <BulkBar object={def} selected={selectedRecords} onClear={() => setSelected(new Set())} onDone={(changed, deleted) => {
        for (const r of changed) replace(r);
        if (deleted.length) setItems((prev) => prev.filter((r) => !deleted.includes(r.id)));
      }} />}
      {wide ? (
        <Table<Row>
          data-testid="record-table"
          rowKey={(r) => (isGroup(r) ? `group:${r.__group}` : r.id)}
          loading={loading}
          dataSource={rows}
          columns={tableColumns}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: loading ? ' ' : empty }}
          onChange={(_p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            setState({ sort: s?.order ? `${s.order === 'descend' ? '-' : ''}${String(s.columnKey)}` : null });
          }}
          rowSelection={selectable ? {
            selectedRowKeys: [...selected],
            onChange: (keys) => setSelected(new Set(keys.map(String).filter((k) => !k.startsWith('group:')))),
            getCheckboxProps: (r) => ({ disabled: isGroup(r), style: isGroup(r) ? { display: 'none' } : undefined }),
          } : undefined}
        />
      ) : (
        <List<Row>
          data-testid="record-cards"
          loading={loading}
          dataSource={rows}
          locale={{ emptyText: loading ? ' ' : empty }}
          renderItem={(r) =>
            isGroup(r) ? (
              <List.Item key={`group:${r.__group}`} style={{ background: '#fafafa', padding: '8px 12px' }}>{groupHeader(r)}</List.Item>
            ) : (
              <Card key={r.id} size="small" style={{ marginBottom: 8, width: '100%' }} data-testid="record-card"
                title={<Space>{selectable && <Checkbox checked={selected.has(r.id)} onChange={(e) => setSelected((prev) => { const n = new Set(prev); if (e.target.checked) n.add(r.id); else n.delete(r.id); return n; })} />}<Link to={`/app/o/${def.name}/${r.id}`} data-testid="record-link">{recordName(def, r, language)}</Link></Space>}>
                {columns.filter((c) => c !== def.nameField).slice(0, 4).map((c) => {
                  const text = formatValue(fieldOrOwner(def, c), r[c], language, nameOf);
                  return text ? (
                    <div key={c} style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                      <Typography.Text type="secondary">{fieldLabel(def, c, language)}</Typography.Text>
                      <Typography.Text ellipsis style={{ maxWidth: '60%' }}>{text}</Typography.Text>
                    </div>
                  ) : null;
                })}
              </Card>
            )
          }
        />
      )}
      <Space wrap>
        <Typography.Text type="secondary" data-testid="list-count">
          {t('list.shown', { count: items.length })}{cursor ? ` · ${t('list.more')}` : ''}
          {groups ? ` · ${t('list.total', { count: groups.total })}${groups.complete ? '' : '+'}` : ''}
        </Typography.Text>
        {cursor && <Button onClick={() => void load(cursor)} loading={loading} data-testid="load-more">{t('list.loadMore')}</Button>}
        {meta && <Tooltip title={t('list.servedByHelp')}><Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="served-by">{t('list.servedBy', { index: meta.servedBy })}</Typography.Text></Tooltip>}
      </Space>
    </Space>
  );
}
