import type { Messages } from './en';
import { editorsZhCN } from './editors';

export const zhCN: Messages = {
  app: { title: 'Tessera 管理后台', signOut: '退出登录', language: '语言' },
  nav: { objects: '对象', versions: '版本', templates: '模板', users: '用户', integrations: 'API', reports: '报表与仪表板' },
  login: { title: '登录 Tessera', tenant: '租户', email: '邮箱', password: '密码', submit: '登录', failed: '登录失败：{{message}}' },
  draft: {
    published: '已发布 v{{version}}', draft: '草稿 r{{revision}}（基于 v{{version}}）', validate: '校验', publish: '发布',
    discard: '放弃草稿', discardConfirm: '放弃自 v{{version}} 以来的所有修改？', valid: '草稿校验通过',
    problems_one: '{{count}} 个问题', problems_other: '{{count}} 个问题', publishedNow: '已发布版本 {{version}}', discarded: '草稿已放弃',
    conflict: '草稿已被他人修改，已重新加载最新版本。', noDraft: '没有可发布的修改', otherProblems: '对象以外的问题',
  },
  objects: { title: '对象', new: '新建对象', label: '名称', name: 'API 名称', fields: '字段', source: '来源', custom: '自定义', problems: '问题', edit: '编辑' },
  editor: {
    newTitle: '新建对象', editTitle: '对象：{{label}}', labelEn: '名称（英文）', labelZh: '名称（中文）', name: 'API 名称',
    nameField: '名称字段', sharing: '共享', sharingPrivate: '私有', sharingRead: '只读', sharingReadWrite: '读写',
    trackHistory: '记录历史', fields: '字段', addField: '添加字段', save: '保存到草稿', saved: '已保存到草稿',
    back: '返回对象列表', remove: '删除', fieldSettings: '字段设置', noField: '选择一个字段以编辑其设置',
    invalid: '对象有问题，已在对应位置标出。', objectProblems: '此对象的问题', newFieldName: 'new_field',
  },
  field: {
    type: '类型', name: 'API 名称', labelEn: '名称（英文）', labelZh: '名称（中文）', helpEn: '帮助（英文）', helpZh: '帮助（中文）',
    required: '必填', unique: '唯一', indexed: '索引', sensitive: '敏感',
    options: '选项', addOption: '添加选项', optionValue: '值', optionColor: '颜色', optionInactive: '停用', drag: '拖动以排序',
    target: '关联对象', settings: {
      default: '默认值', minLength: '最小长度', maxLength: '最大长度', pattern: '格式', min: '最小值', max: '最大值',
      scale: '小数位数', currency: '币种（ISO 代码）', maxSelected: '最多可选', start: '起始编号', target: '关联对象', options: '选项', returnType: '结果类型', expression: '公式', child: '子对象', via: '子对象关联字段', function: '函数', field: '字段', where: '仅限满足条件的子记录', when: '条件逻辑',
    },
  },
  types: {
    text: '文本', textarea: '长文本', number: '数字', currency: '金额', percent: '百分比', date: '日期', datetime: '日期时间',
    boolean: '复选框', email: '邮箱', phone: '电话', url: '网址', picklist: '选项列表', 'multi-picklist': '多选列表',
    lookup: '查找关联', user: '用户', 'auto-number': '自动编号', formula: '公式', rollup: '汇总',
  },
  versions: {
    title: '版本历史', version: '版本', publishedAt: '发布时间', by: '发布人', kind: '类型', note: '备注', diff: '变更',
    rollback: '回滚到此版本', rollbackConfirm: '将 v{{version}} 的内容发布为新版本？', rolledBack: '已发布 v{{version}}',
    from: '从', to: '到', noChanges: '没有差异', head: '当前', draft: '草稿', before: '之前', after: '之后',
    add: '新增', remove: '删除', change: '修改', kinds: { publish: '发布' },
  },
  templates: {
    title: '模板', install: '安装', upgrade: '升级到 {{version}}', uninstall: '卸载', installed: '已安装 {{version}}',
    adds: '包含', requires: '依赖', conflicts: '冲突（保留了您的修改）', done: '{{name}}：完成', uninstallConfirm: '从元数据中移除 {{name}}？',
    base: '安装时', ours: '您的', theirs: '模板的',
  },
  users: {
    title: '用户', create: '新建用户', name: '姓名', email: '邮箱', roles: '角色', active: '启用', inactive: '停用',
    password: '密码', deactivate: '停用', deactivated: '已停用 {{name}}', created: '已创建 {{name}}',
    explain: '权限说明', user: '用户', object: '对象', permission: '权限', decision: '结论', contributions: '角色',
    granted: '允许', denied: '拒绝', unset: '未授予', field: '字段', level: '级别', scope: '数据范围', run: '说明',
    manager: '上级', teams: '团队', edit: '编辑', editTitle: '编辑 {{name}}', saved: '已保存 {{name}}', newTeam: '新建团队', members: '成员', teamSaved: '已保存团队 {{name}}',
  },
  apiKeys: {
    title: '集成 API 密钥', create: '新建 API 密钥', name: '名称', role: '角色', key: '密钥', status: '状态', created: '创建时间',
    expires: '到期', active: '有效', expired: '已过期', revoked: '已吊销', revoke: '吊销', revokeConfirm: '吊销 {{name}}？使用它的系统将立即停止访问。',
    revokedNow: '{{name}} 已吊销', roleHelp: '密钥只以此角色的权限访问：请给集成最少的必要权限。',
    expiresHelp: '留空则 90 天后到期；最长一年。', issuedTitle: 'API 密钥 {{name}}', issuedOnce: '请立即复制密钥：它只显示这一次，之后无法找回。',
    howToUse: '以 Authorization: Bearer <密钥> 发送。', needsManageUsers: '管理 API 密钥需要 manageUsers 权限。',
  },
  apiRef: {
    download: '下载 openapi.json', search: '搜索接口：方法、路径或关键词', count_one: '{{count}} 个接口', count_other: '{{count}} 个接口',
    field: '名称', type: '类型', description: '说明', required: '必填', readOnly: '只读', operationId: '操作 ID', auth: '认证',
    public: '无需认证（公开）', bearer: 'Bearer 令牌或 API 密钥', parameters: '参数', in: '位置', requestBody: '请求体', responses: '响应', noBody: '无响应体',
  },
  common: { cancel: '取消', ok: '确定', error: '错误：{{message}}', loading: '加载中…', none: '—' },
  ...editorsZhCN,
};
