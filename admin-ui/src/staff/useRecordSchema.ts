import { useEffect, useState } from 'react';
import { api } from '../api';
import type { RecordSchema } from './formModel';

/** The record schema forms render (`GET /api/objects/{object}/schema?recordType=`), per object and record type. */
export function useRecordSchema(object: string, recordType?: string | null): { schema: RecordSchema | null; error: unknown } {
  const [state, setState] = useState<{ key: string; schema: RecordSchema | null; error: unknown }>({ key: '', schema: null, error: null });
  const key = `${object}/${recordType ?? ''}`;
  useEffect(() => {
    let live = true;
    api<RecordSchema>(`/api/objects/${object}/schema${recordType ? `?recordType=${encodeURIComponent(recordType)}` : ''}`).then(
      (r) => live && setState({ key, schema: r.data, error: null }),
      (error) => live && setState({ key, schema: null, error }),
    );
    return () => void (live = false);
  }, [object, recordType, key]);
  return state.key === key ? { schema: state.schema, error: state.error } : { schema: null, error: null };
}
