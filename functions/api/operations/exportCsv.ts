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

/**
 * A list as CSV, exactly as the caller may see it: the same filters, index and scope as the
 * list, hidden fields absent, sensitive ones masked. Cells that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, tab, CR) are prefixed with `'` (papaparse's escapeFormulae).
 * UTF-8 with a BOM, so Excel opens Chinese text correctly. Needs the exportData permission.
 */
export async function exportCsv(services: Services, user: UserContext, objectName: string, query: Readonly<Record<string, string | undefined>>, locale: Locale) {
  const access = await callerAccess(services, user);
  if (!access.can('exportData')) throw new EngineError('access.denied', 'Exporting needs the exportData permission', [], { permission: 'exportData' });
  const { header, limit: _limit, cursor: _cursor, ...listQuery } = query;
  if (header !== undefined && header !== 'api' && header !== 'labels') {
    throw new EngineError('query.invalid', 'header is "labels" (default) or "api"', [{ path: '/header', code: 'enum', message: 'must be labels or api' }]);
  }
  const bundle = await currentBundle(services, user.tenantId);
  const first = await listRecords(services, user, objectName, { ...listQuery, limit: '200' });
  const object = bundle.object(objectName);
  const fieldAccess = access.object(objectName);
  const fields = object.def.fields.filter((f) => fieldAccess.fields.get(f.name)?.value !== 'hidden');
  const columns = [...SYSTEM_COLUMNS, ...fields.map((f) => f.name)];
  const labels = [...SYSTEM_COLUMNS, ...fields.map((f) => f.label[locale] ?? f.label.en ?? f.label['zh-CN'] ?? f.name)];

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
