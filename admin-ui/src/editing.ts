/**
 * What every metadata editor of the console shares: saving a change of the whole draft
 * (`PUT /api/metadata/draft` with the revision it read), validating right after so problems
 * appear where they belong, the problems under one place of the bundle, and the directory
 * (users, teams) that rules name.
 */
import { useCallback, useEffect, useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from './api';
import { useDraft } from './draft';
import type { DraftView } from './draft';
import type { PlacedProblem } from './placedProblems';
import type { MetadataBundle } from './types';

export { below, problemsUnder, statusAt } from './placedProblems';
export type { PlacedProblem };

/**
 * Saves a change of the draft: the change is applied to a copy of the bundle the console
 * holds and the whole bundle is PUT with `If-Match` on its revision; a conflict reloads. Then
 * validates, so every problem of the new revision shows at its place. Resolves to whether it saved.
 */
export function useSaveDraft(): (change: (bundle: MetadataBundle) => MetadataBundle) => Promise<boolean> {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { draft, setDraft, setProblems, reload, validate } = useDraft();
  return useCallback(async (change) => {
    if (!draft) return false;
    try {
      const { data } = await api<DraftView>('/api/metadata/draft', { method: 'PUT', body: change(structuredClone(draft.bundle)), headers: { 'if-match': `"${draft.revision}"` } });
      setDraft(data);
      setProblems(null);
      const found = await validate();
      if (found.length) message.warning(t('edit.savedWithProblems', { count: found.length }));
      else message.success(t('edit.saved'));
      return true;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 409 || error.status === 412)) {
        await reload();
        message.warning(t('draft.conflict'));
      } else {
        message.error(t('common.error', { message: error instanceof Error ? error.message : String(error) }));
      }
      return false;
    }
  }, [draft, setDraft, setProblems, reload, validate, message, t]);
}

export interface DirectoryUser { readonly id: string; readonly name: string; readonly email?: string; readonly active: boolean; readonly roles?: string[]; readonly manager?: string; readonly version?: number }
export interface DirectoryTeam { readonly id: string; readonly name: string; readonly members: string[]; readonly version: number }

let cached: Promise<{ users: DirectoryUser[]; teams: DirectoryTeam[] }> | null = null;

/** Users and teams, read once per page load (rules name them; `refresh` after changing them). */
export function useDirectory(): { users: DirectoryUser[]; teams: DirectoryTeam[]; refresh: () => void } {
  const [state, setState] = useState<{ users: DirectoryUser[]; teams: DirectoryTeam[] }>({ users: [], teams: [] });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    cached ??= Promise.all([
      api<{ items: DirectoryUser[] }>('/api/users').then((r) => r.data.items, () => []),
      api<{ items: DirectoryTeam[] }>('/api/teams').then((r) => r.data.items, () => []),
    ]).then(([users, teams]) => ({ users, teams }));
    let live = true;
    void cached.then((d) => live && setState(d));
    return () => void (live = false);
  }, [tick]);
  const refresh = useCallback(() => {
    cached = null;
    setTick((n) => n + 1);
  }, []);
  return { ...state, refresh };
}
