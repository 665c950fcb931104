/** The metadata draft the console edits, its last validation, and the lifecycle actions. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, ApiError } from './api';
import type { Problem } from './pointers';
import type { MetadataBundle } from './types';

export interface DraftView {
  readonly bundle: MetadataBundle;
  readonly baseVersion: number;
  readonly revision: number;
  readonly exists: boolean;
}

interface DraftState {
  readonly draft: DraftView | null;
  readonly problems: Problem[] | null;
  readonly reload: () => Promise<DraftView>;
  readonly setDraft: (d: DraftView) => void;
  readonly setProblems: (p: Problem[] | null) => void;
  readonly validate: () => Promise<Problem[]>;
  readonly publish: () => Promise<number>;
  readonly discard: () => Promise<void>;
}

const DraftContext = createContext<DraftState | null>(null);

export function DraftProvider({ children }: { children: ReactNode }) {
  const [draft, setDraft] = useState<DraftView | null>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);

  const reload = useCallback(async () => {
    const { data } = await api<DraftView>('/api/metadata/draft');
    setDraft(data);
    return data;
  }, []);

  useEffect(() => void reload().catch(() => undefined), [reload]);

  const validate = useCallback(async () => {
    const { data } = await api<{ valid: boolean; problems: Problem[] }>('/api/metadata/validate', { method: 'POST' });
    setProblems(data.problems);
    return data.problems;
  }, []);

  const publish = useCallback(async () => {
    try {
      const { data } = await api<{ version: number }>('/api/metadata/publish', { method: 'POST', body: {} });
      setProblems(null);
      await reload();
      return data.version;
    } catch (error) {
      if (error instanceof ApiError && error.problems.length) setProblems(error.problems);
      throw error;
    }
  }, [reload]);

  const discard = useCallback(async () => {
    await api('/api/metadata/draft', { method: 'DELETE' });
    setProblems(null);
    await reload();
  }, [reload]);

  const value = useMemo(() => ({ draft, problems, reload, setDraft, setProblems, validate, publish, discard }), [draft, problems, reload, validate, publish, discard]);
  return <DraftContext.Provider value={value}>{children}</DraftContext.Provider>;
}

export function useDraft(): DraftState {
  const state = useContext(DraftContext);
  if (!state) throw new Error('useDraft outside DraftProvider');
  return state;
}
