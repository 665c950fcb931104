import type { StaffMessages } from './en';

export const staffZhCN: StaffMessages = {
  nav: { home: '首页', reports: '报表', objects: '业务数据', menu: '菜单', search: '按名称搜索…', searchNone: '没有以此开头的记录', signOut: '退出登录', adminConsole: '管理后台' },
  common: {
    save: '保存', cancel: '取消', create: '创建', delete: '删除', edit: '编辑', new: '新建', close: '关闭', retry: '重试',
    loadFailed: '员工工作台加载失败',
  },
  home: {
    greeting: '您好，{{name}}', tasks: '我的待办任务', tasksEmpty: '暂无分配给您的待办任务。规则和同事分派的新任务会显示在这里。',
    newTask: '新建任务', notifications: '我的通知', notificationsEmpty: '暂无通知。需要您处理时，规则会在这里提醒您。',
    markRead: '标为已读', assigned: '分配给我的', assignedEmpty: '暂无分配给您的未结事项。',
    recent: '我最近的记录', recentEmpty: '您还没有任何记录。请在左侧打开一个列表并新建。',
    approvals: '待我审批', approvalsEmpty: '暂无待您审批的事项。',
  },
  list: {
    addFilter: '筛选', applyFilter: '应用', clearFilters: '清除筛选', field: '字段',
    boundedFilter: '该条件本身不走索引：在索引返回的结果上再过滤（一页可能不满）',
    clickToEdit: '点击编辑', columns: '列', sort: '排序', newestFirst: '最新优先', groupBy: '分组',
    groupCount_one: '{{count}} 条', groupCount_other: '{{count}} 条', noValue: '（空）',
    empty: '还没有{{objects}}。', emptyFiltered: '没有符合筛选条件的记录。', createFirst: '新建第一条{{object}}',
    export: '导出 CSV', exportFailed: '导出失败', exportTruncated: '导出在 10,000 行处截止：请缩小筛选范围导出其余部分。',
    loadMore: '加载更多', more: '还有更多', shown_one: '已显示 {{count}} 条', shown_other: '已显示 {{count}} 条', total: '共 {{count}} 条',
    residual: '{{fields}} 的条件在索引之外过滤：一页可能不满，请加载更多继续。',
    servedBy: '由 {{index}} 提供', servedByHelp: 'API 为此列表读取的索引：每个列表都是一次 Query，从不扫描全表。',
  },
  ops: {
    eq: '等于', ne: '不等于', in: '属于', lt: '<', lte: '≤', gt: '>', gte: '≥', between: '介于', startsWith: '开头是', isBlank: '是否为空',
    blank: '为空', notBlank: '不为空',
  },
  views: {
    default: '全部记录（默认视图）', save: '保存视图', saveAs: '另存为新视图…', saved: '视图已保存', delete: '删除视图',
    deleteConfirm: '删除视图“{{name}}”？', name: '名称', nameRequired: '请填写视图名称', share: '共享给所有可查看此对象的人',
    shareHelp: '其他人可以使用共享视图，只有您可以修改。', shared: '已共享', adjusted: '此视图中有您无权查看的字段，已略去。',
  },
  bulk: {
    selected_one: '已选 {{count}} 条', selected_other: '已选 {{count}} 条', assignOwner: '分配负责人', chooseOwner: '新负责人', changeField: '修改字段',
    delete: '删除', deleteConfirm_one: '删除 {{count}} 条记录？', deleteConfirm_other: '删除 {{count}} 条记录？', apply: '应用到所选记录', clear: '取消选择',
    summary: '共 {{total}} 条：完成 {{ok}} 条，失败 {{failed}} 条',
  },
  form: {
    new: '新建', createTitle: '新建{{object}}', problems: '记录未保存', recordType: '记录类型',
    lookupPlaceholder: '输入以搜索', lookupUnavailable: '您无权查看', lookupNone: '无匹配结果',
  },
  record: {
    noObject: '该对象不存在，或您无权查看。', notFound: '该记录不存在或您无权查看。', backToList: '返回列表',
    owner: '负责人', take: '领取', reassign: '重新分配', takeDone: '已归您负责', reassignDone: '分配规则已执行', deleteConfirm: '删除这条记录？',
    deleted: '已删除', saved: '已保存', created: '已创建', conflict: '这条记录已被他人修改，现显示最新版本。请重新修改。',
    history: '历史记录', noHistory: '暂无历史记录。', relatedEmpty: '暂无',
    op: { create: '创建', update: '修改', delete: '删除' },
    ruleRun: '规则 {{rule}}', assignmentRun: '分配规则', assignedTo: '已分配给 {{owner}}（条目 {{entry}}）', outcome: { applied: '已执行', failed: '失败', partial: '部分执行', depthLimit: '已停止（级联上限）' },
  },
  board: {
    open: '看板', list: '列表视图', none: '此对象没有可用作看板的阶段或状态。', emptyColumn: '拖放卡片到这里',
    moved: '{{name}} 已移至 {{to}}', readOnly: '您可以查看此看板，但不能移动卡片。', partial: '合计仅包含前 10,000 条记录。',
    noTransition: '工作流中没有从当前状态到 {{to}} 的流转。', notAllowed: '您当前不能执行此流转。',
    refused: '无法移至 {{to}}', fillAndMove: '填写并移动', needed: '移至此处需要填写',
  },
  workflow: {
    done: '{{name}}：已完成', locked: '等待审批期间已锁定', needsFields: '此步骤需要先填写以下字段。', comment: '备注（可选）',
    approval: '审批', pending: '等待审批（{{process}}）', approve: '批准', reject: '驳回', recall: '撤回', submit: '提交审批',
    approveDone: '已批准', rejectDone: '已驳回', recallDone: '已撤回', submitDone: '已提交审批',
    event: { submitted: '提交', approved: '批准', rejected: '驳回', returned: '退回', recalled: '撤回', delegated: '转交' },
  },
  reports: {
    title: '报表', dashboard: '仪表盘', custom: '自定义报表', by: '按', countOnly: '仅计数', noCharts: '暂无带阶段或状态的对象可制图。',
    funnel: '{{object}}：按{{field}}的漏斗', byField: '{{object}}：按{{field}}', empty: '没有可统计的记录。',
    drill_one: '{{count}} 条记录——点击查看列表', drill_other: '{{count}} 条记录——点击查看列表',
    total_one: '共 {{count}} 条记录', total_other: '共 {{count}} 条记录', partial: '仅统计前 10,000 条',
    workflowFunnel: '{{object}}：工作流漏斗（近 12 个月）', entered_one: '进入 {{count}} 条', entered_other: '进入 {{count}} 条',
    conversion: '{{percent}}% 推进到下一步', avgTime: '平均停留 {{days}} 天', now: '当前 {{count}} 条',
  },
};
