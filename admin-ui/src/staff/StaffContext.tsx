/**
 * What every staff page needs once per session: who the user is, the objects they may read
 * (the published metadata as the API filters it for them), the user directory, what they
 * may do per object (their OpenAPI document), and names for the ids records point at.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../api';
import type { ConversionDef, ObjectDef } from '../types';
import { useLanguage } from '../useLanguage';
import type { ObjectCapabilities } from './capabilities';
import { NO_CAPABILITIES, capabilitiesFrom } from './capabilities';
import { recordName } from './format';

export interface Me {
  readonly userId: string;
  readonly roles: string[];
  readonly name: string | null;
  readonly email?: string;
  readonly tenantName: string;
}

export interface StaffData {
  readonly me: Me;
  readonly objects: ObjectDef[];
  readonly object: (name: string) => ObjectDef | undefined;
  /** The conversion of an object (a lead's), when the caller may convert its records. */
  readonly conversion: (object: string) => ConversionDef | undefined;
  readonly users: ReadonlyArray<{ id: string; name: string; active: boolean }>;
  /** What the user may do with an object; nothing until their OpenAPI document has loaded. */
  readonly can: (object: string) => ObjectCapabilities;
  readonly capabilitiesLoaded: boolean;
  /** Whether the API has a route (`GET /api/approvals`), from the caller's OpenAPI document: features being built elsewhere light up when they land. */
  readonly hasRoute: (key: string) => boolean;
  /** A user's or record's display name, once known (`undefined` asks for it). */
  readonly nameOf: (kind: string, id: string) => string | undefined;
  /** Remember names of records just read (a list page, a search answer). */
  readonly rememberNames: (object: string, records: ReadonlyArray<Record<string, unknown>>) => void;
}

const StaffContext = createContext<StaffData | null>(null);

export function useStaff(): StaffData {
  const value = useContext(StaffContext);
  if (!value) throw new Error('useStaff outside StaffProvider');
  return value;
}

const MAX_PARALLEL = 4;

export function StaffProvider({ children, fallback, failed }: { children: ReactNode; fallback: ReactNode; failed: (error: unknown) => ReactNode }) {
  const { language } = useLanguage();
  const [base, setBase] = useState<{ me: Me; objects: ObjectDef[]; conversions: ConversionDef[]; users: StaffData['users'] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [caps, setCaps] = useState<Map<string, ObjectCapabilities> | null>(null);
  const [routes, setRoutes] = useState<ReadonlySet<string>>(new Set());
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const pending = useRef(new Set<string>());
  const asked = useRef(new Set<string>());
  const timer = useRef<number | null>(null);

  useEffect(() => {
    Promise.all([api<Me>('/api/me'), api<{ objects: ObjectDef[]; conversions?: ConversionDef[] }>('/api/metadata'), api<{ items: StaffData['users'] }>('/api/users')]).then(
      ([me, meta, users]) => setBase({ me: me.data, objects: meta.data.objects, conversions: meta.data.conversions ?? [], users: users.data.items }),
      setError,
    );
    // The caller's own document: ~35 KB gzipped, read once per session, after the first screen.
    api<{ paths?: Record<string, Record<string, unknown>> }>('/api/openapi.json').then(
      (doc) => {
        setCaps(capabilitiesFrom(doc.data));
        setRoutes(new Set(Object.entries(doc.data.paths ?? {}).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))));
      },
      () => setCaps(new Map()),
    );
  }, []);

  const byName = useMemo(() => new Map((base?.objects ?? []).map((o) => [o.name, o] as const)), [base]);
  const userNames = useMemo(() => new Map((base?.users ?? []).map((u) => [u.id, u.name] as const)), [base]);

  const rememberNames = useCallback(
    (object: string, records: ReadonlyArray<Record<string, unknown>>) => {
      const def = byName.get(object);
      if (!def || records.length === 0) return;
      setNames((prev) => {
        const next = new Map(prev);
        for (const r of records) if (typeof r.id === 'string') next.set(`${object}/${r.id}`, recordName(def, r, language));
        return next;
      });
    },
    [byName, language],
  );

  // Lookup names are read one record at a time (there is no batch read), a few at once, each id once per session.
  const flush = useCallback(() => {
    timer.current = null;
    const keys = [...pending.current];
    pending.current.clear();
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        const [object, id] = key.split('/') as [string, string];
        try {
          const { data } = await api<Record<string, unknown>>(`/api/objects/${object}/records/${id}`);
          rememberNames(object, [data]);
        } catch {
          // Out of the user's reach or deleted: the id stays as it is.
        }
      }
    };
    void Promise.all(Array.from({ length: MAX_PARALLEL }, worker));
  }, [rememberNames]);

  const nameOf = useCallback(
    (kind: string, id: string) => {
      if (kind === 'user') return userNames.get(id);
      const key = `${kind}/${id}`;
      const known = names.get(key);
      if (known !== undefined) return known;
      if (!asked.current.has(key) && byName.has(kind)) {
        asked.current.add(key);
        pending.current.add(key);
        timer.current ??= window.setTimeout(flush, 30);
      }
      return undefined;
    },
    [names, userNames, byName, flush],
  );

  const value = useMemo<StaffData | null>(
    () =>
      base && {
        me: base.me,
        objects: base.objects,
        object: (name) => byName.get(name),
        conversion: (name) => base.conversions.find((c) => c.object === name),
        users: base.users,
        can: (name) => caps?.get(name) ?? NO_CAPABILITIES,
        capabilitiesLoaded: caps !== null,
        hasRoute: (key) => routes.has(key),
        nameOf,
        rememberNames,
      },
    [base, byName, caps, routes, nameOf, rememberNames],
  );
  if (error) return <>{failed(error)}</>;
  if (!value) return <>{fallback}</>;
  return <StaffContext.Provider value={value}>{children}</StaffContext.Provider>;
}
