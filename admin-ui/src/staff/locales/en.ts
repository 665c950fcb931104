/** The staff app's labels in English (i18next namespace `staff`); `zhCN.ts` must have the same keys (its type is this one's). */
export const staffEn = {
  nav: { home: 'Home', reports: 'Reports', objects: 'Records', menu: 'Menu', search: 'Search by name…', searchNone: 'No record starts with that', signOut: 'Sign out', adminConsole: 'Admin console' },
  common: {
    save: 'Save', cancel: 'Cancel', create: 'Create', delete: 'Delete', edit: 'Edit', new: 'New', close: 'Close', retry: 'Try again',
    loadFailed: 'The staff app could not load',
  },
  home: {
    greeting: 'Hello, {{name}}', tasks: 'My open tasks', tasksEmpty: 'No open tasks assigned to you. New tasks from rules and colleagues appear here.',
    newTask: 'New task', notifications: 'My notifications', notificationsEmpty: 'No notifications yet. Rules tell you here when something needs you.',
    markRead: 'Mark read', assigned: 'Assigned to me', assignedEmpty: 'Nothing open is assigned to you.',
    recent: 'My latest records', recentEmpty: 'You own no records yet. Open a list on the left and create one.',
    approvals: 'Waiting for my approval', approvalsEmpty: 'Nothing waits for your approval.',
  },
  list: {
    addFilter: 'Filter', applyFilter: 'Apply', clearFilters: 'Clear filters', field: 'Field',
    boundedFilter: 'Not served by an index on its own: applied to what the index returns (pages may be short)',
    clickToEdit: 'Click to edit', columns: 'Columns', sort: 'Sort', newestFirst: 'Newest first', groupBy: 'Group by',
    groupCount_one: '{{count}} record', groupCount_other: '{{count}} records', noValue: '(none)',
    empty: 'No {{objects}} yet.', emptyFiltered: 'Nothing matches these filters.', createFirst: 'Create the first {{object}}',
    export: 'Export CSV', exportFailed: 'The export failed', exportTruncated: 'The export stopped at 10,000 rows: narrow the filters for the rest.',
    loadMore: 'Load more', more: 'more available', shown_one: '{{count}} shown', shown_other: '{{count}} shown', total: '{{count}} in all',
    residual: 'Filtered beyond the index on {{fields}}: a page may come back short; load more to continue.',
    servedBy: 'served by {{index}}', servedByHelp: 'The index the API read for this list: every list is one Query, never a scan.',
  },
  ops: {
    eq: 'is', ne: 'is not', in: 'is one of', lt: '<', lte: '≤', gt: '>', gte: '≥', between: 'between', startsWith: 'starts with', isBlank: 'blank?',
    blank: 'is blank', notBlank: 'is not blank',
  },
  views: {
    default: 'All records (default view)', save: 'Save view', saveAs: 'Save as new view…', saved: 'View saved', delete: 'Delete view',
    deleteConfirm: 'Delete the view "{{name}}"?', name: 'Name', nameRequired: 'Give the view a name', share: 'Share with everyone who can read this object',
    shareHelp: 'Others can use a shared view; only you can change it.', shared: 'shared', adjusted: 'Parts of this view name fields you cannot see; they are left out.',
  },
  bulk: {
    selected_one: '{{count}} selected', selected_other: '{{count}} selected', assignOwner: 'Assign owner', chooseOwner: 'New owner', changeField: 'Change a field',
    delete: 'Delete', deleteConfirm_one: 'Delete {{count}} record?', deleteConfirm_other: 'Delete {{count}} records?', apply: 'Apply to selected', clear: 'Clear selection',
    summary: '{{ok}} of {{total}} done, {{failed}} failed',
  },
  form: {
    new: 'New', createTitle: 'New {{object}}', problems: 'The record was not saved', recordType: 'Record type',
    lookupPlaceholder: 'Type to search', lookupUnavailable: 'Not available to you', lookupNone: 'No match',
  },
  record: {
    noObject: 'There is no such object, or you may not read it.', notFound: 'This record does not exist or is not yours to see.', backToList: 'Back to the list',
    owner: 'Owner', take: 'Take', reassign: 'Reassign', takeDone: 'It is yours now', reassignDone: 'Assignment rules ran', deleteConfirm: 'Delete this record?',
    deleted: 'Deleted', saved: 'Saved', created: 'Created', conflict: 'Someone else changed this record meanwhile; its latest version is shown. Make your change again.',
    history: 'History', noHistory: 'No history yet.', relatedEmpty: 'None yet',
    op: { create: 'Created', update: 'Changed', delete: 'Deleted' },
    ruleRun: 'Rule {{rule}}', assignmentRun: 'Assignment rules', assignedTo: 'Assigned to {{owner}} (entry {{entry}})', outcome: { applied: 'applied', failed: 'failed', partial: 'partly applied', depthLimit: 'stopped (cascade limit)' },
  },
  board: {
    open: 'Board', list: 'List view', none: 'This object has no stages or statuses to show as a board.', emptyColumn: 'Drop a card here',
    moved: '{{name}} moved to {{to}}', readOnly: 'You may look at this board but not move cards.', partial: 'The totals cover the first 10,000 records only.',
    noTransition: 'The workflow has no transition into {{to}} from here.', notAllowed: 'This transition is not open to you now.',
    refused: 'Could not move to {{to}}', fillAndMove: 'Fill in and move', needed: 'Needed to move here',
  },
  workflow: {
    done: '{{name}}: done', locked: 'Locked while it waits for approval', needsFields: 'This step needs these fields first.', comment: 'Comment (optional)',
    approval: 'Approval', pending: 'Waiting for approval ({{process}})', approve: 'Approve', reject: 'Reject', recall: 'Recall', submit: 'Submit for approval',
    approveDone: 'Approved', rejectDone: 'Rejected', recallDone: 'Recalled', submitDone: 'Submitted for approval',
    event: { submitted: 'submitted', approved: 'approved', rejected: 'rejected', returned: 'returned', recalled: 'recalled', delegated: 'delegated' },
  },
  reports: {
    title: 'Reports', dashboard: 'Dashboard', custom: 'Your report', by: 'by', countOnly: 'Count only', noCharts: 'No object here has stages or statuses to chart yet.',
    funnel: '{{object}}: funnel by {{field}}', byField: '{{object}} by {{field}}', empty: 'No records to chart.',
    drill_one: '{{count}} record — click to open the list', drill_other: '{{count}} records — click to open the list',
    total_one: '{{count}} record in all', total_other: '{{count}} records in all', partial: 'first 10,000 records only',
    workflowFunnel: '{{object}}: workflow funnel, last 12 months', entered_one: '{{count}} entered', entered_other: '{{count}} entered',
    conversion: '{{percent}}% went on', avgTime: '{{days}} days on average', now: '{{count}} there now',
  },
};

export type StaffMessages = typeof staffEn;
