import i18next from 'i18next';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { IMPORT_MAX_FILE_BYTES, MAX_BODY_BYTES } from '../../functions/api/bodyLimits';
import { createHandler } from '../../functions/api/createHandler';
import { ROUTES } from '../../functions/api/routes';
import type { Services } from '../../functions/api/services';
import { buildEvent } from '../../functions/local/httpAdapter';
import { fileSizeProblem } from '../../admin-ui/src/staff/importModel';
import { staffEn } from '../../admin-ui/src/staff/locales/en';
import { staffZhCN } from '../../admin-ui/src/staff/locales/zhCN';

const MB = 1024 * 1024;

describe('the import wizard refuses a file over the size one import takes', () => {
  it.each([
    { title: 'an empty file passes', bytes: 0, refused: false },
    { title: 'a file of exactly the limit passes', bytes: IMPORT_MAX_FILE_BYTES, refused: false },
    { title: 'one byte more is refused', bytes: IMPORT_MAX_FILE_BYTES + 1, refused: true },
    { title: 'a 50 MB file is refused', bytes: 50 * MB, refused: true },
  ])('$title', ({ bytes, refused }) => {
    expect(fileSizeProblem(bytes) !== null).toBe(refused);
  });

  it('says the size and the limit in MB, a file just over the limit rounded up so it does not read as the limit', () => {
    expect(fileSizeProblem(50 * MB)).toEqual({ key: 'data.fileTooLarge', values: { size: '50', limit: '0.74' } });
    expect(fileSizeProblem(IMPORT_MAX_FILE_BYTES + 1)?.values).toEqual({ size: '0.75', limit: '0.74' });
    expect(fileSizeProblem(5.5 * MB)?.values.size).toBe('5.50');
  });

  it.each([
    { language: 'en', text: 'The file is 50 MB; one import takes at most 0.74 MB. Split it into several files (keep the header line in each) and import them one after another.' },
    { language: 'zh-CN', text: '文件大小为 50 MB，每次导入最多 0.74 MB。请将其拆分为多个文件（每个文件保留标题行）后依次导入。' },
  ])('words the refusal in $language', async ({ language, text }) => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { en: { staff: staffEn }, 'zh-CN': { staff: staffZhCN } }, ns: ['staff'], defaultNS: 'staff', fallbackLng: false });
    const problem = fileSizeProblem(50 * MB)!;
    expect(i18n.getFixedT(language, 'staff')(problem.key, problem.values)).toBe(text);
  });
});

describe('the API takes the largest file the wizard sends and refuses a 50 MB one', () => {
  // The body limit runs before routing and authentication, so no table is needed: a body it lets
  // through reaches the route and is refused there for want of a token (401), not for its size.
  const handler = createHandler(ROUTES, {} as Services);
  const upload = async (fileBytes: number) => {
    // What the staff app's createImport sends, with the longest object name and a 200-character file name at its most escaped (\u0001 → 6 bytes).
    const body = JSON.stringify({ object: 'o'.repeat(40), name: '\u0001'.repeat(200), csvBase64: Buffer.alloc(fileBytes).toString('base64'), encoding: 'utf-16le' });
    const event = buildEvent({ method: 'POST', path: '/api/imports', headers: { 'content-type': 'application/json' }, body });
    const res = await handler(event, { awsRequestId: 'r' } as Context);
    return { bodyBytes: Buffer.byteLength(body), status: res.statusCode, code: (JSON.parse(res.body ?? '{}') as { code?: string }).code };
  };

  it('lets a body with a file of exactly the wizard’s limit through to the route', async () => {
    const res = await upload(IMPORT_MAX_FILE_BYTES);
    expect(res.bodyBytes).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(res).toMatchObject({ status: 401, code: 'auth.required' });
  });

  it('refuses a 50 MB file with 413 request.tooLarge before reading it', async () => {
    expect(await upload(50 * MB)).toMatchObject({ status: 413, code: 'request.tooLarge' });
  });
});
