import type { FieldDef, MetadataBundle, ObjectDef } from '../functions/engine/metadata/types';

const label = (en: string, zh: string) => ({ en, 'zh-CN': zh });

export const STAGES = ['qualify', 'needs', 'proposal', 'negotiation', 'won'] as const;
const SOURCES = ['web', 'referral', 'event', 'partner'] as const;

/**
 * A representative sales object: ten fields — an indexed text name, a unique e-mail, a
 * phone, two picklists, an indexed currency, a percent, a date, a short text and a user
 * reference — and one declared index (stage, sorted by amount). A create therefore commits
 * four items: the record, its history entry, one unique guard and one user ConditionCheck.
 */
const dealFields: FieldDef[] = [
  { name: 'name', type: 'text', label: label('Deal', '商机'), required: true, indexed: true, maxLength: 120 },
  { name: 'contact_email', type: 'email', label: label('Contact e-mail', '联系人邮箱'), unique: true },
  { name: 'phone', type: 'phone', label: label('Phone', '电话') },
  {
    name: 'stage',
    type: 'picklist',
    label: label('Stage', '阶段'),
    required: true,
    default: 'qualify',
    options: STAGES.map((value) => ({ value, label: label(value, value) })),
  },
  { name: 'source', type: 'picklist', label: label('Source', '来源'), options: SOURCES.map((value) => ({ value, label: label(value, value) })) },
  { name: 'amount', type: 'currency', label: label('Amount', '金额'), min: 0, currency: 'CNY', indexed: true },
  { name: 'probability', type: 'percent', label: label('Probability', '赢率'), min: 0, max: 100, scale: 0 },
  { name: 'close_date', type: 'date', label: label('Close date', '预计成交日期') },
  { name: 'next_step', type: 'text', label: label('Next step', '下一步'), maxLength: 200 },
  { name: 'account_manager', type: 'user', label: label('Account manager', '客户经理') },
];

export const deal: ObjectDef = {
  name: 'deal',
  label: label('Deal', '商机'),
  nameField: 'name',
  fields: dealFields,
  indexes: [{ name: 'by_stage_amount', equals: ['stage'], sort: 'amount' }],
};

/** The same object with an auto-number: a create then draws a counter value (one UpdateItem) before its transaction. */
export const numberedDeal: ObjectDef = {
  ...deal,
  name: 'numbered_deal',
  fields: [...dealFields, { name: 'code', type: 'auto-number', label: label('Code', '编号'), pattern: 'DL-{YYYY}-{00000}' }],
};

/**
 * The 100,000-record object of the large-list row: a ledger line with a status picklist, an
 * amount and a declared index (status, sorted by amount). No history, so seeding writes one
 * item per record.
 */
export const ledger: ObjectDef = {
  name: 'ledger',
  label: label('Ledger line', '台账行'),
  nameField: 'name',
  trackHistory: false,
  fields: [
    { name: 'name', type: 'text', label: label('Name', '名称'), required: true, maxLength: 120 },
    { name: 'status', type: 'picklist', label: label('Status', '状态'), required: true, options: ['open', 'closed', 'hold'].map((value) => ({ value, label: label(value, value) })) },
    { name: 'amount', type: 'currency', label: label('Amount', '金额'), min: 0 },
    { name: 'booked_on', type: 'date', label: label('Booked on', '记账日期') },
  ],
  indexes: [{ name: 'by_status_amount', equals: ['status'], sort: 'amount' }],
};

/**
 * Roll-up maintenance: `order` sums and counts its `order_line`s (two roll-ups kept in the
 * line's own transaction); `plain_order` / `plain_line` are the same shapes without roll-ups.
 */
const lineFields = (target: string): FieldDef[] => [
  { name: 'name', type: 'text', label: label('Line', '明细'), required: true },
  { name: 'order', type: 'lookup', target, label: label('Order', '订单'), indexed: true },
  { name: 'quantity', type: 'number', label: label('Quantity', '数量'), min: 0, scale: 0 },
  { name: 'amount', type: 'currency', label: label('Amount', '金额'), min: 0 },
];
export const order: ObjectDef = {
  name: 'order',
  label: label('Order', '订单'),
  nameField: 'name',
  fields: [
    { name: 'name', type: 'text', label: label('Order', '订单'), required: true },
    { name: 'lines', type: 'rollup', child: 'order_line', via: 'order', function: 'count', label: label('Lines', '明细数') },
    { name: 'total', type: 'rollup', child: 'order_line', via: 'order', function: 'sum', field: 'amount', label: label('Total', '合计') },
  ],
};
export const orderLine: ObjectDef = { name: 'order_line', label: label('Order line', '订单明细'), nameField: 'name', fields: lineFields('order') };
export const plainOrder: ObjectDef = { name: 'plain_order', label: label('Order (no roll-ups)', '订单（无汇总）'), nameField: 'name', fields: [{ name: 'name', type: 'text', label: label('Order', '订单'), required: true }] };
export const plainLine: ObjectDef = { name: 'plain_line', label: label('Order line (no roll-ups)', '订单明细（无汇总）'), nameField: 'name', fields: lineFields('plain_order') };

export const benchBundle = (): MetadataBundle => structuredClone({ objects: [deal, numberedDeal, ledger, order, orderLine, plainOrder, plainLine] });

/** Deterministic pseudo-random numbers, so every run writes the same data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The i-th deal's input: values of realistic size (about 300 bytes of JSON). E-mails are
 * lower-case and unique per `tag` and `i`, so their guard key is the address itself.
 */
export function dealInput(i: number, tag: string, managerId: string, random: () => number): Record<string, unknown> {
  const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
  return {
    name: `Renewal ${tag}-${i} — Northwind Traders ${Math.floor(random() * 1000)}`,
    contact_email: `buyer.${tag}.${i}@northwind-traders.example`,
    phone: `+86 138 ${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
    stage: STAGES[i % STAGES.length],
    source: SOURCES[Math.floor(random() * SOURCES.length)],
    amount: Math.round(random() * 10_000_000) / 100,
    probability: Math.floor(random() * 101),
    close_date: `2027-${month}-${day}`,
    next_step: 'Send the revised quote and book a call with procurement',
    account_manager: managerId,
  };
}
