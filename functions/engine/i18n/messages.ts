import type { Problem } from '../errors';
import type { Locale } from '../metadata/types';

/**
 * Problem messages by code, in every supported locale. `{name}` placeholders take the
 * problem's params. A code without an entry keeps the engine's English message.
 */
const MESSAGES: Record<string, Record<Locale, string>> = {
  required: { en: 'This field is required', 'zh-CN': '此字段为必填项' },
  unknownField: { en: 'Unknown field', 'zh-CN': '未知字段' },
  readOnly: { en: 'This field is read-only', 'zh-CN': '此字段为只读' },
  type: { en: 'The value has the wrong type', 'zh-CN': '值的类型不正确' },
  enum: { en: 'Choose one of the allowed values', 'zh-CN': '请选择允许的值之一' },
  format: { en: 'The value is not in the expected format ({format})', 'zh-CN': '值的格式不正确（{format}）' },
  min: { en: 'The value is below the minimum ({limit})', 'zh-CN': '值低于最小值（{limit}）' },
  max: { en: 'The value is above the maximum ({limit})', 'zh-CN': '值高于最大值（{limit}）' },
  minLength: { en: 'Too short: at least {limit} characters', 'zh-CN': '太短：至少 {limit} 个字符' },
  maxLength: { en: 'Too long: at most {limit} characters', 'zh-CN': '太长：最多 {limit} 个字符' },
  pattern: { en: 'The value does not match the required pattern', 'zh-CN': '值不符合要求的格式' },
  maxItems: { en: 'Too many values: at most {limit}', 'zh-CN': '选择过多：最多 {limit} 个' },
  duplicateItems: { en: 'A value is chosen twice', 'zh-CN': '有重复的选项' },
  unique: { en: 'Another record already has this value', 'zh-CN': '已有其他记录使用此值' },
  duplicateRule: { en: 'Another record looks like this one (duplicate rule {rule})', 'zh-CN': '存在与此记录相似的记录（查重规则 {rule}）' },
  unmapped: { en: 'Map this column to a field, or leave it out', 'zh-CN': '请将此列映射到字段，或不导入此列' },
  noMatch: { en: 'No record matches this row', 'zh-CN': '没有与此行匹配的记录' },
  ambiguousMatch: { en: 'More than one record matches this row', 'zh-CN': '有多条记录与此行匹配' },
  notFound: { en: 'The referenced record does not exist', 'zh-CN': '引用的记录不存在' },
  duplicate: { en: 'This name is already used', 'zh-CN': '此名称已被使用' },
  reserved: { en: 'This name is reserved for a system field', 'zh-CN': '此名称为系统字段保留' },
  unknownObject: { en: 'There is no such object', 'zh-CN': '不存在此对象' },
  invalidDefault: { en: 'The default value does not fit the field', 'zh-CN': '默认值与字段不符' },
  notSortable: { en: 'Sorting by this field needs an index', 'zh-CN': '按此字段排序需要索引' },
  operatorNotSupported: { en: 'This operator is not available for this field', 'zh-CN': '此字段不支持该运算符' },
  range: { en: 'The value is out of range', 'zh-CN': '值超出范围' },
  insecureUrl: { en: 'A webhook URL is https (http only to a host in settings.webhooks.allowHosts)', 'zh-CN': 'Webhook 地址须为 https（仅 settings.webhooks.allowHosts 中的主机可用 http）' },
  privateAddress: { en: 'Webhooks reach public addresses only ({host} is {range}), unless settings.webhooks.allowHosts names the host', 'zh-CN': 'Webhook 只能访问公网地址（{host} 属于 {range}），除非 settings.webhooks.allowHosts 列出该主机' },
  notFromState: { en: 'The transition does not leave the state the record is in', 'zh-CN': '该流转不适用于记录当前所处的状态' },
  automatic: { en: 'This transition is made by automation and approvals only', 'zh-CN': '此流转仅由自动化规则和审批执行' },
  role: { en: 'Your roles may not make this transition', 'zh-CN': '您的角色不能执行此流转' },
  locked: { en: 'The record is locked while it waits for approval', 'zh-CN': '记录审批中，已锁定' },
  converted: { en: 'The record has been converted; it is read-only', 'zh-CN': '记录已转化，只读' },
  requiredFields: { en: 'Fill these fields first: {fields}', 'zh-CN': '请先填写以下字段：{fields}' },
  transitionRequired: { en: 'Change this field through a transition: {transitions}', 'zh-CN': '请通过流程流转修改此字段：{transitions}' },
  notPending: { en: 'The request is no longer pending', 'zh-CN': '该审批请求已不在审批中' },
  noApprover: { en: 'Nobody can approve step {step}', 'zh-CN': '审批步骤 {step} 没有可用的审批人' },
  entryConditions: { en: 'The record does not meet the entry conditions of any approval process', 'zh-CN': '记录不满足任何审批流程的提交条件' },
  alreadyPending: { en: 'The record is already waiting for approval', 'zh-CN': '记录已在审批中' },
  unreachable: { en: 'No transition leads to this state from an initial state', 'zh-CN': '没有从初始状态到达此状态的流转' },
  noPossibleApprover: { en: 'Nobody can approve this step', 'zh-CN': '此审批步骤没有可能的审批人' },
  credentialsInUrl: { en: 'A webhook URL carries no user name or password; check the signature instead', 'zh-CN': 'Webhook 地址中不能包含用户名或密码，请改为校验签名' },
};

/** Titles of problem documents by error code. */
const TITLES: Record<string, Record<Locale, string>> = {
  'validation.failed': { en: 'The record is not valid', 'zh-CN': '记录校验未通过' },
  'record.duplicate': { en: 'A unique value is already used', 'zh-CN': '唯一值已被使用' },
  'record.notFound': { en: 'Record not found', 'zh-CN': '记录不存在' },
  'import.notFound': { en: 'Import job not found', 'zh-CN': '导入任务不存在' },
  'report.notFound': { en: 'Report or dashboard not found', 'zh-CN': '报表或仪表板不存在' },
  'import.conflict': { en: 'The import job cannot do this now', 'zh-CN': '导入任务当前无法执行此操作' },
  'record.versionConflict': { en: 'The record was changed by someone else', 'zh-CN': '记录已被他人修改' },
  'record.versionRequired': { en: 'If-Match with the record version is required', 'zh-CN': '需要提供带记录版本的 If-Match' },
  'object.notFound': { en: 'Object not found', 'zh-CN': '对象不存在' },
  'metadata.invalid': { en: 'The metadata is not valid', 'zh-CN': '元数据校验未通过' },
  'query.invalid': { en: 'The list query is not valid', 'zh-CN': '列表查询无效' },
  'auth.required': { en: 'Sign in first', 'zh-CN': '请先登录' },
  'auth.badCredentials': { en: 'Wrong email or password', 'zh-CN': '邮箱或密码错误' },
  'workflow.transitionDenied': { en: 'The transition cannot be made now', 'zh-CN': '当前无法执行此状态流转' },
  'workflow.transitionRequired': { en: 'This field changes only through a workflow transition', 'zh-CN': '此字段只能通过流程流转修改' },
  'record.locked': { en: 'The record is locked while it waits for approval', 'zh-CN': '记录审批中，已锁定' },
  'record.converted': { en: 'The record has been converted and is read-only', 'zh-CN': '记录已转化，只读' },
  'approval.notAllowed': { en: 'The approval action is not possible now', 'zh-CN': '当前无法执行此审批操作' },
};

export function pickLocale(acceptLanguage: string | undefined): Locale {
  return /^\s*zh/i.test(acceptLanguage ?? '') ? 'zh-CN' : 'en';
}

const fill = (template: string, params: Readonly<Record<string, unknown>> = {}) =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (params[key] === undefined ? whole : String(params[key])));

export function translateProblem(problem: Problem, locale: Locale): Problem {
  // A tenant's own message (a validation rule's) comes translated in its params.
  const own = problem.params?.messages as Partial<Record<Locale, string>> | undefined;
  if (own && typeof own === 'object') return { ...problem, message: own[locale] ?? own.en ?? problem.message };
  const entry = MESSAGES[problem.code];
  // Engine messages are more specific than the generic English entry; keep them in English.
  if (!entry || locale === 'en') return problem;
  return { ...problem, message: fill(entry[locale], problem.params) };
}

export function translateTitle(code: string, fallback: string, locale: Locale): string {
  return TITLES[code]?.[locale] ?? fallback;
}
