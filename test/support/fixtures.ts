import type { MetadataBundle, ObjectDef } from '../../functions/engine/metadata/types';

const label = (en: string, zh = en) => ({ en, 'zh-CN': zh });

export const company: ObjectDef = {
  name: 'company',
  label: label('Company', '公司'),
  nameField: 'name',
  fields: [{ name: 'name', type: 'text', label: label('Name', '名称'), required: true }],
};

/** A custom object with a field of every type the platform has. */
export const gadget: ObjectDef = {
  name: 'gadget',
  label: label('Gadget', '设备'),
  nameField: 'title',
  fields: [
    { name: 'title', type: 'text', label: label('Title', '标题'), required: true, indexed: true, maxLength: 80 },
    { name: 'notes', type: 'textarea', label: label('Notes', '备注') },
    { name: 'qty', type: 'number', label: label('Quantity', '数量'), min: 0, scale: 0 },
    { name: 'price', type: 'currency', label: label('Price', '价格'), min: 0, indexed: true },
    { name: 'discount', type: 'percent', label: label('Discount', '折扣'), min: 0, max: 100 },
    { name: 'due', type: 'date', label: label('Due', '到期日') },
    { name: 'seen_at', type: 'datetime', label: label('Seen at', '查看时间') },
    { name: 'active', type: 'boolean', label: label('Active', '有效'), default: true },
    { name: 'contact_email', type: 'email', label: label('E-mail', '邮箱'), unique: true },
    { name: 'phone', type: 'phone', label: label('Phone', '电话') },
    { name: 'site', type: 'url', label: label('Site', '网址') },
    {
      name: 'status',
      type: 'picklist',
      label: label('Status', '状态'),
      default: 'draft',
      options: [
        { value: 'draft', label: label('Draft', '草稿') },
        { value: 'live', label: label('Live', '上线') },
        { value: 'retired', label: label('Retired', '退役'), inactive: true },
      ],
    },
    { name: 'tags', type: 'multi-picklist', label: label('Tags', '标签'), options: [{ value: 'red', label: label('Red') }, { value: 'blue', label: label('Blue') }, { value: 'green', label: label('Green') }] },
    { name: 'company', type: 'lookup', target: 'company', label: label('Company', '公司') },
    { name: 'reviewer', type: 'user', label: label('Reviewer', '审核人') },
    { name: 'code', type: 'auto-number', label: label('Code', '编号'), pattern: 'GAD-{YYYY}-{0000}' },
  ],
  indexes: [{ name: 'by_status_due', equals: ['status'], sort: 'due' }],
};

export const bundle = (...objects: ObjectDef[]): MetadataBundle => ({ objects: structuredClone(objects) });

/** A task looking up to `parent` (cleared when the parent is deleted; indexed, so it is a related list): what after-save rules create in tests. */
export const taskFor = (parent: string, parentLabel: string): ObjectDef => ({
  name: 'task',
  label: { en: 'Task' },
  nameField: 'subject',
  fields: [
    { name: 'subject', type: 'text', label: { en: 'Subject' }, required: true },
    { name: parent, type: 'lookup', label: { en: parentLabel }, target: parent, onDelete: 'clear', indexed: true },
  ],
});
