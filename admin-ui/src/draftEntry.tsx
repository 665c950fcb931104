/**
 * What the editors of one named entry of a draft list share — a validation or automation rule,
 * a report, a dashboard, a conversion: the problems under the entry, saving it in place (or at
 * the end when new) and following a rename, removing it, and the header with Back, Delete
 * (after a confirmation) and Save.
 */
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Button, Popconfirm, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDraft } from './draft';
import { problemsUnder, useSaveDraft } from './editing';
import type { PlacedProblem } from './editing';
import type { MetadataBundle } from './types';

/** The bundle's lists of named entries that have an editor of their own. */
export type EntryList = 'validationRules' | 'automationRules' | 'reports' | 'dashboards' | 'conversions';
export type EntryOf<L extends EntryList> = NonNullable<MetadataBundle[L]>[number];

/** The bundle with `entry` at `index` of `list`, or appended when `index` is -1. */
export function putEntry<L extends EntryList>(bundle: MetadataBundle, list: L, entry: EntryOf<L>, index: number): MetadataBundle {
  const entries = [...((bundle[list] ?? []) as Array<EntryOf<L>>)];
  if (index >= 0) entries[index] = entry;
  else entries.push(entry);
  return { ...bundle, [list]: entries };
}

export interface EntryRoutes {
  /** Where the list of such entries is (after a delete, and Back). */
  readonly list: string;
  /** The editor of the entry of that name (after a save that named or renamed it). */
  readonly entry: (name: string) => string;
}

export interface DraftEntry<L extends EntryList> {
  /** The draft's problems under this entry (none for a new one: it is not in the draft yet). */
  readonly placed: PlacedProblem[];
  readonly saving: boolean;
  /** Saves `entry` in the draft; after a save that changed its name (or named a new one), opens its editor. */
  readonly save: (entry: EntryOf<L>, previousName: string | undefined) => Promise<boolean>;
  readonly remove: () => Promise<void>;
  readonly back: () => void;
}

/**
 * The entry at `index` of the draft's `list` (-1: a new one). `put` places it in the bundle
 * (default `putEntry`; a report also renames the dashboard tiles that show it).
 */
export function useDraftEntry<L extends EntryList>(list: L, index: number, routes: EntryRoutes, put: (bundle: MetadataBundle, entry: EntryOf<L>, index: number) => MetadataBundle = (b, e, i) => putEntry(b, list, e, i)): DraftEntry<L> {
  const navigate = useNavigate();
  const { problems } = useDraft();
  const saveDraft = useSaveDraft();
  const [saving, setSaving] = useState(false);
  const placed = useMemo(() => (index >= 0 ? problemsUnder(problems, `/${list}/${index}`) : []), [problems, list, index]);
  return {
    placed,
    saving,
    save: async (entry, previousName) => {
      setSaving(true);
      const saved = await saveDraft((bundle) => put(bundle, entry, index));
      setSaving(false);
      if (saved && entry.name !== previousName) navigate(routes.entry(entry.name), { replace: true });
      return saved;
    },
    remove: async () => {
      if (await saveDraft((bundle) => ({ ...bundle, [list]: ((bundle[list] ?? []) as Array<EntryOf<L>>).filter((_, i) => i !== index) }))) navigate(routes.list);
    },
    back: () => navigate(routes.list),
  };
}

/** The editor's title, then Back, Delete (existing entries, after `deleteConfirm`) and Save. */
export function EntryHeader({ title, entry, labels, deleteConfirm, saveTestId, onSave }: {
  title: ReactNode;
  entry: Pick<DraftEntry<EntryList>, 'saving' | 'remove' | 'back'>;
  labels: { back: string; delete: string };
  /** The confirmation before a delete; null for a new entry (nothing to delete). */
  deleteConfirm: { title: ReactNode; description?: ReactNode } | null;
  saveTestId: string;
  onSave: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Space style={{ width: '100%', justifyContent: 'space-between' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{title}</Typography.Title>
      <Space>
        <Button onClick={entry.back}>{labels.back}</Button>
        {deleteConfirm && (
          <Popconfirm title={deleteConfirm.title} description={deleteConfirm.description} onConfirm={() => void entry.remove()}>
            <Button danger>{labels.delete}</Button>
          </Popconfirm>
        )}
        <Button type="primary" loading={entry.saving} onClick={onSave} data-testid={saveTestId}>{t('editor.save')}</Button>
      </Space>
    </Space>
  );
}
