import Papa from 'papaparse';
import { EngineError } from '../../../engine/errors';
import type { Problem } from '../../../engine/errors';

/*
 * An uploaded CSV, decoded and split into rows. Text comes as `csv` (a JSON string) or as
 * `csvBase64` (the file's bytes, for encodings other than UTF-8: spreadsheets saved on Chinese
 * Windows are GBK). Decoding: a UTF-8 BOM or valid UTF-8 is UTF-8, a UTF-16 BOM is UTF-16,
 * anything else is GBK (`encoding` names it instead). Quoted newlines, quotes and delimiters
 * follow RFC 4180 (papaparse).
 */

export const ENCODINGS = ['auto', 'utf-8', 'gbk', 'gb18030', 'utf-16le'] as const;
export type Encoding = (typeof ENCODINGS)[number];
/** Columns per file: an object has at most 500 fields. */
export const MAX_COLUMNS = 500;
/** Characters per cell: a textarea holds at most 32,000. */
export const MAX_CELL = 32_000;

export interface ParsedCsv {
  readonly encoding: Exclude<Encoding, 'auto'>;
  readonly headers: string[];
  readonly rows: string[][];
}

const invalid = (problems: Problem[]) => new EngineError('request.invalid', 'The file cannot be imported; nothing was stored', problems);

function decode(bytes: Uint8Array, encoding: Encoding): { text: string; encoding: Exclude<Encoding, 'auto'> } {
  if (encoding !== 'auto') {
    try {
      return { text: new TextDecoder(encoding, { fatal: encoding === 'utf-8' }).decode(bytes), encoding };
    } catch {
      throw invalid([{ path: '/encoding', code: 'encoding', message: `the file is not valid ${encoding}; send it with encoding "gbk" or "auto"`, params: { encoding } }]);
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gbk' };
  }
}

/** Our own export defuses formulas with a leading `'`; importing an export gives the cell back as it was. */
const unescapeFormula = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

export function parseCsv(body: { csv?: unknown; csvBase64?: unknown; encoding?: unknown; delimiter?: unknown }): ParsedCsv {
  const encoding = (body.encoding ?? 'auto') as Encoding;
  if (!ENCODINGS.includes(encoding)) throw invalid([{ path: '/encoding', code: 'enum', message: `encoding is one of ${ENCODINGS.join(', ')}`, params: { allowedValues: ENCODINGS } }]);
  if (body.delimiter !== undefined && !(typeof body.delimiter === 'string' && [',', ';', '\t', '|'].includes(body.delimiter))) {
    throw invalid([{ path: '/delimiter', code: 'enum', message: 'delimiter is one of , ; tab |', params: { allowedValues: [',', ';', '\t', '|'] } }]);
  }
  let text: string;
  let used: Exclude<Encoding, 'auto'> = 'utf-8';
  if (typeof body.csv === 'string' && body.csvBase64 === undefined) text = body.csv;
  else if (typeof body.csvBase64 === 'string' && body.csv === undefined) {
    if (!/^[A-Za-z0-9+/=\s]*$/.test(body.csvBase64)) throw invalid([{ path: '/csvBase64', code: 'format', message: 'csvBase64 is not base64', params: { format: 'base64' } }]);
    const decoded = decode(Buffer.from(body.csvBase64, 'base64'), encoding);
    text = decoded.text;
    used = decoded.encoding;
  } else throw invalid([{ path: '/csv', code: 'required', message: 'send the file as csv (text) or csvBase64 (bytes), one of them' }]);
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw invalid([{ path: '/csv', code: 'empty', message: 'the file is empty' }]);
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', ...(typeof body.delimiter === 'string' ? { delimiter: body.delimiter } : {}) });
  const fatal = parsed.errors.filter((e) => e.type === 'Quotes');
  if (fatal.length) {
    throw invalid(fatal.slice(0, 20).map((e) => ({ path: '/csv', code: 'quotes', message: `line ${(e.row ?? 0) + 1}: ${e.message}`, params: { row: (e.row ?? 0) + 1 } })));
  }
  const [header, ...rows] = parsed.data;
  const headers = (header ?? []).map((h) => h.trim());
  // Trailing empty header cells (a spreadsheet's empty columns) are not columns.
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  const problems: Problem[] = [];
  if (headers.length === 0) problems.push({ path: '/csv', code: 'noHeader', message: 'the first line must name the columns' });
  if (headers.length > MAX_COLUMNS) problems.push({ path: '/csv', code: 'tooManyColumns', message: `at most ${MAX_COLUMNS} columns`, params: { max: MAX_COLUMNS } });
  if (rows.length === 0) problems.push({ path: '/csv', code: 'noRows', message: 'the file has a header but no rows' });
  if (problems.length) throw invalid(problems);
  const cleaned = rows.map((row) => {
    const cells = row.map((c) => unescapeFormula(c.length > MAX_CELL ? c.slice(0, MAX_CELL + 1) : c));
    while (cells.length > headers.length && cells[cells.length - 1]!.trim() === '') cells.pop();
    return cells;
  });
  return { encoding: used, headers, rows: cleaned };
}
