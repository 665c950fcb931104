import Papa from 'papaparse';
import { EngineError } from '../../engine/errors';
import type { Locale } from '../../engine/metadata/types';
import type { UserContext } from '../auth/tokens';
import type { Services } from '../services';
import { callerAccess } from './adminAccess';
import { currentBundle } from './currentBundle';
import { listRecords } from './records';

/** An export reads at most this many records; the response says when it stopped there. */
export const MAX_EXPORT_ROWS = 10_000;
const SYSTEM_COLUMNS = ['id', 'owner', 'created_at', 'updated_at'] as const;
/** Columns a view may name beyond its fields (the list's system columns). */
const VIEW_SYSTEM_COLUMNS = [...SYSTEM_COLUMNS, 'created_by', 'updated_by'];

/**
 * A list as CSV, exactly as the caller may see it: the same filters, index and scope as the
 * list, hidden fields absent, sensitive ones masked. Cells that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, tab, CR) are prefixed with `'` (papaparse's escapeFormulae).
 * UTF-8 with a BOM, so Excel opens Chinese text correctly. Needs the exportData permission.
 * `columns` (comma-separated) exports a list view's columns in its order instead of every
 * visible field; a column that is not a field the caller may see is refused at `/columns/<i>`.
 */
export async function exportCsv(services: Services, user: UserContext, objectName: string, query: Readonly<Record<string, string | undefined>>, locale: Locale) {
  const access = await callerAccess(services, user);
  if (!access.can('exportData')) throw new EngineError('access.denied', 'Exporting needs the exportData permission', [], { permission: 'exportData' });
  const { header, limit: _limit, cursor: _cursor, columns: picked, ...listQuery } = query;
  if (header !== undefined && header !== 'api' && header !== 'labels') {
    throw new EngineError('query.invalid', 'header is "labels" (default) or "api"', [{ path: '/header', code: 'enum', message: 'must be labels or api' }]);
  }
  const bundle = await currentBundle(services, user.tenantId);
  const first = await listRecords(services, user, objectName, { ...listQuery, limit: '200' });
  const object = bundle.object(objectName);
  const fieldAccess = access.object(objectName);
  const fields = object.def.fields.filter((f) => fieldAccess.fields.get(f.name)?.value !== 'hidden');
  const labelOf = (c: string) => {
    const f = fields.find((x) => x.name === c);
    return f ? (f.label[locale] ?? f.label.en ?? f.label['zh-CN'] ?? f.name) : c;
  };
  let columns: string[] = [...SYSTEM_COLUMNS, ...fields.map((f) => f.name)];
  if (picked !== undefined) {
    const names = picked.split(',').map((c) => c.trim());
    const problems = names.flatMap((c, i) => (VIEW_SYSTEM_COLUMNS.includes(c) || fields.some((f) => f.name === c) ? [] : [{ path: `/columns/${i}`, code: 'unknownField', message: `${c || '(blank)'} is not a column you may export`, params: { field: c } }]));
    if (names.length > 500) problems.push({ path: '/columns', code: 'maxItems', message: 'at most 500 columns', params: { field: '' } });
    if (problems.length) throw new EngineError('query.invalid', 'The columns are not valid', problems);
    columns = [...new Set(names)];
  }
  const labels = columns.map(labelOf);

  const rows: unknown[][] = [];
  let page = first;
  for (;;) {
    for (const r of page.records) rows.push(columns.map((c) => (Array.isArray(r[c]) ? (r[c] as unknown[]).join(';') : (r[c] ?? ''))));
    if (!page.nextCursor || rows.length >= MAX_EXPORT_ROWS) break;
    page = await listRecords(services, user, objectName, { ...listQuery, limit: '200', cursor: page.nextCursor });
  }
  const truncated = page.nextCursor !== null;
  const csv = Papa.unparse({ fields: header === 'api' ? columns : labels, data: rows.slice(0, MAX_EXPORT_ROWS) }, { escapeFormulae: true, newline: '\r\n' });
  return { csv: `\uFEFF${csv}\r\n`, rows: Math.min(rows.length, MAX_EXPORT_ROWS), truncated };
}
