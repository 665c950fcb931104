/** Console labels in English; `zhCN.ts` must have the same keys (its type is this one's). */
import { editorsEn } from './editors';

export const en = {
  app: { title: 'Tessera admin', signOut: 'Sign out', language: 'Language' },
  nav: { objects: 'Objects', versions: 'Versions', templates: 'Templates', users: 'Users', integrations: 'API', reports: 'Reports & dashboards' },
  login: {
    title: 'Sign in to Tessera', tenant: 'Tenant', email: 'E-mail', password: 'Password', submit: 'Sign in',
    failed: 'Sign-in failed: {{message}}',
  },
  draft: {
    published: 'Published v{{version}}', draft: 'Draft r{{revision}} on v{{version}}', validate: 'Validate', publish: 'Publish',
    discard: 'Discard draft', discardConfirm: 'Throw away every change since v{{version}}?', valid: 'The draft is valid',
    problems_one: '{{count}} problem', problems_other: '{{count}} problems', publishedNow: 'Published version {{version}}', discarded: 'Draft discarded',
    conflict: 'Someone else changed the draft; reloaded the latest revision.', noDraft: 'No changes to publish',
    otherProblems: 'Problems outside objects',
  },
  objects: {
    title: 'Objects', new: 'New object', label: 'Label', name: 'API name', fields: 'Fields', source: 'Source', custom: 'Custom',
    problems: 'Problems', edit: 'Edit',
  },
  editor: {
    newTitle: 'New object', editTitle: 'Object: {{label}}', labelEn: 'Label (English)', labelZh: 'Label (中文)', name: 'API name',
    nameField: 'Name field', sharing: 'Sharing', sharingPrivate: 'Private', sharingRead: 'Read', sharingReadWrite: 'Read/write',
    trackHistory: 'Track history', fields: 'Fields', addField: 'Add field', save: 'Save to draft', saved: 'Saved to the draft',
    back: 'Back to objects', remove: 'Remove', fieldSettings: 'Field settings', noField: 'Pick a field to edit its settings',
    invalid: 'The object has problems; they are shown where they belong.', objectProblems: 'Problems with this object',
    newFieldName: 'new_field',
  },
  field: {
    type: 'Type', name: 'API name', labelEn: 'Label (English)', labelZh: 'Label (中文)', helpEn: 'Help (English)', helpZh: 'Help (中文)',
    required: 'Required', unique: 'Unique', indexed: 'Indexed', sensitive: 'Sensitive',
    options: 'Options', addOption: 'Add option', optionValue: 'Value', optionColor: 'Colour', optionInactive: 'Inactive', drag: 'Drag to reorder',
    target: 'Looks up', settings: {
      default: 'Default', minLength: 'Minimum length', maxLength: 'Maximum length', pattern: 'Pattern', min: 'Minimum', max: 'Maximum',
      scale: 'Decimal places', currency: 'Currency (ISO code)', maxSelected: 'At most selected', start: 'First number', target: 'Looks up',
      options: 'Options', returnType: 'Result type', expression: 'Formula', child: 'Child object', via: 'Child lookup field', function: 'Function', field: 'Field', where: 'Only children where', when: 'Conditional logic',
    },
  },
  types: {
    text: 'Text', textarea: 'Long text', number: 'Number', currency: 'Currency', percent: 'Percent', date: 'Date', datetime: 'Date and time',
    boolean: 'Checkbox', email: 'E-mail', phone: 'Phone', url: 'URL', picklist: 'Picklist', 'multi-picklist': 'Multi-select picklist',
    lookup: 'Lookup', user: 'User', 'auto-number': 'Auto-number', formula: 'Formula', rollup: 'Roll-up summary',
  },
  versions: {
    title: 'Version history', version: 'Version', publishedAt: 'Published', by: 'By', kind: 'Kind', note: 'Note', diff: 'Changes',
    rollback: 'Roll back to this', rollbackConfirm: 'Publish the content of v{{version}} as a new version?', rolledBack: 'Published v{{version}}',
    from: 'From', to: 'To', noChanges: 'No differences', head: 'head', draft: 'draft', before: 'Before', after: 'After',
    add: 'added', remove: 'removed', change: 'changed', kinds: { publish: 'publish' },
  },
  templates: {
    title: 'Templates', install: 'Install', upgrade: 'Upgrade to {{version}}', uninstall: 'Uninstall', installed: 'Installed {{version}}',
    adds: 'Adds', requires: 'Requires', conflicts: 'Conflicts kept your value', done: '{{name}}: done', uninstallConfirm: 'Remove {{name}} from the metadata?',
    base: 'Installed', ours: 'Yours', theirs: 'Template',
  },
  users: {
    title: 'Users', create: 'New user', name: 'Name', email: 'E-mail', roles: 'Roles', active: 'Active', inactive: 'Inactive',
    password: 'Password', deactivate: 'Deactivate', deactivated: '{{name}} deactivated', created: '{{name}} created',
    explain: 'Explain access', user: 'User', object: 'Object', permission: 'Permission', decision: 'Decision', contributions: 'Roles',
    granted: 'granted', denied: 'denied', unset: 'not granted', field: 'Field', level: 'Level', scope: 'Scope', run: 'Explain',
    manager: 'Manager', teams: 'Teams', edit: 'Edit', editTitle: 'Edit {{name}}', saved: '{{name}} saved', newTeam: 'New team', members: 'Members', teamSaved: 'Team {{name}} saved',
  },
  apiKeys: {
    title: 'API keys for integrations', create: 'New API key', name: 'Name', role: 'Role', key: 'Key', status: 'Status', created: 'Created',
    expires: 'Expires', active: 'active', expired: 'expired', revoked: 'revoked', revoke: 'Revoke', revokeConfirm: 'Revoke {{name}}? Systems using it stop at once.',
    revokedNow: '{{name}} revoked', roleHelp: 'The key acts with this role only: give it the least an integration needs.',
    expiresHelp: '90 days when left empty; at most a year.', issuedTitle: 'API key {{name}}', issuedOnce: 'Copy the key now: it is shown only this once and cannot be recovered.',
    howToUse: 'Send it as Authorization: Bearer <key>.', needsManageUsers: 'Managing API keys needs the manageUsers permission.',
  },
  apiRef: {
    download: 'Download openapi.json', search: 'Search operations: method, path or words', count_one: '{{count}} operation', count_other: '{{count}} operations',
    field: 'Name', type: 'Type', description: 'Description', required: 'required', readOnly: 'read-only', operationId: 'Operation id', auth: 'Authentication',
    public: 'none (public)', bearer: 'Bearer token or API key', parameters: 'Parameters', in: 'In', requestBody: 'Request body', responses: 'Responses', noBody: 'No body',
  },
  common: { cancel: 'Cancel', ok: 'OK', error: 'Error: {{message}}', loading: 'Loading…', none: '—' },
  ...editorsEn,
};
export type Messages = typeof en;
