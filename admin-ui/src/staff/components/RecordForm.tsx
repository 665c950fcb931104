/**
 * A create or edit form generated from the record schema the API returns: its layout, its
 * read-only and hidden fields, `x-when` applied as the user types, and every problem — the
 * browser's (the server's own validator and messages, see formModel.ts) or the server's
 * (problem+json `errors[].pointer`) — shown at its field.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Col, Form, Row, Skeleton, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api';
import type { ObjectDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import type { FieldProblem, FieldStates, RecordSchema } from '../formModel';
import { NO_STATES, byField, createPayload, fieldStates, formSections, hasFieldLogic, isInput, logicProblems, patchPayload, schemaProblems, translated } from '../formModel';
import type { ApiRecord } from '../staffApi';
import { FieldGrid, FormField } from './FormField';
import { useRenderTiming } from '../renderTiming';

export interface RecordFormProps {
  readonly object: ObjectDef;
  readonly schema: RecordSchema;
  /** The record being edited; null for a create. */
  readonly before: ApiRecord | null;
  /** Sends the payload; resolves with the saved record, or throws the API's problem. */
  readonly submit: (payload: Record<string, unknown>) => Promise<ApiRecord>;
  readonly onSaved: (record: ApiRecord) => void;
  readonly onCancel?: () => void;
  /** Values a create starts from (defaults, a parent from a related list). */
  readonly initial?: Record<string, unknown>;
  readonly extra?: React.ReactNode;
}

/** A record a warn duplicate rule found alike (the answer's `_duplicates`). */
interface DuplicateMatch {
  readonly rule: string;
  readonly id: string;
  readonly name?: unknown;
  readonly score: number;
}

export function RecordForm({ object, schema, before, submit, onSaved, onCancel, initial, extra }: RecordFormProps) {
  const { t } = useTranslation('staff');
  const { language, label } = useLanguage();
  const { me } = useStaff();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [states, setStates] = useState<FieldStates>(NO_STATES);
  const [values, setValues] = useState<Record<string, unknown>>(() => ({ ...(before ?? initial ?? {}) }));
  const [formProblems, setFormProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  /** A save a warn duplicate rule let through: the record is saved; the user sees the matches before going on. */
  const [warned, setWarned] = useState<{ record: ApiRecord; matches: DuplicateMatch[] } | null>(null);
  const errorFields = useRef(new Set<string>());
  const defs = useMemo(() => new Map(object.fields.map((f) => [f.name, f] as const)), [object]);
  const sections = useMemo(() => formSections(schema, object.fields.map((f) => f.name)), [schema, object]);
  const user = useMemo(() => ({ id: me.userId, roles: me.roles }), [me]);
  const mode = before ? 'patch' : 'create';

  // Without field logic every field's state is known at the first render (NO_STATES): the form
  // commits once. With it, the fields wait for the first evaluation (the engine's ConditionSet is
  // asynchronous) instead of drawing every field and then hiding some: one render of the fields,
  // no flash of fields that do not apply.
  const logic = useMemo(() => hasFieldLogic(schema), [schema]);
  const [statesKnown, setStatesKnown] = useState(!logic);
  const recompute = useCallback(async (next: Record<string, unknown>) => {
    setStates(await fieldStates(schema, before, next, user));
    setStatesKnown(true);
  }, [schema, before, user]);
  useEffect(() => void (logic && recompute(values)), [logic, recompute]); // eslint-disable-line react-hooks/exhaustive-deps
  useRenderTiming('tessera:record-form', statesKnown);

  /** Every problem the browser can find for these values, in the user's language. */
  const check = (all: Record<string, unknown>, st: FieldStates): FieldProblem[] => {
    const payload = mode === 'create' ? createPayload(schema, all, st.hidden) : patchPayload(schema, before!, all);
    return translated([...schemaProblems(schema, payload, mode, all), ...logicProblems(schema, st, before, all)], language);
  };

  const show = (problems: readonly FieldProblem[]) => {
    // A problem at a field the form does not show (hidden, or the record type chosen above it) goes
    // to the form's list: set on a field without an input, it would be silently lost.
    const shown = new Set(Object.keys(schema.properties).filter((n) => defs.has(n) && !states.hidden.has(n) && n !== 'record_type'));
    const placed = byField(problems, shown);
    const names = new Set([...errorFields.current, ...placed.fields.keys()]);
    form.setFields([...names].map((name) => ({ name, errors: placed.fields.get(name) ?? [] })));
    errorFields.current = new Set(placed.fields.keys());
    setFormProblems(placed.other);
    const first = [...placed.fields.keys()][0];
    if (first) form.scrollToField(first, { block: 'center' });
  };

  const onValuesChange = (_changed: Record<string, unknown>, all: Record<string, unknown>) => {
    const next = { ...values, ...all };
    setValues(next);
    // Fields already showing a problem are checked again as the user types, so a fixed one clears at once.
    const recheck = (st: FieldStates) => {
      if (!errorFields.current.size) return;
      const still = check(next, st).filter((p) => errorFields.current.has(p.pointer.replace(/^\//, '').split('/')[0]!));
      const placed = byField(still, new Set(Object.keys(schema.properties)));
      form.setFields([...errorFields.current].map((name) => ({ name, errors: placed.fields.get(name) ?? [] })));
      errorFields.current = new Set(placed.fields.keys());
    };
    if (!logic) return recheck(NO_STATES);
    void fieldStates(schema, before, next, user).then((st) => {
      setStates(st);
      recheck(st);
    });
  };

  const save = async () => {
    const all = { ...values, ...form.getFieldsValue(true) };
    const st = await fieldStates(schema, before, all, user);
    const problems = check(all, st);
    if (problems.length) return show(problems);
    setSaving(true);
    try {
      const payload = mode === 'create' ? createPayload(schema, all, st.hidden) : patchPayload(schema, before!, all);
      if (mode === 'patch' && Object.keys(payload).length === 0) return onSaved(before!);
      const saved = await submit(payload);
      show([]);
      const matches = Array.isArray(saved._duplicates) ? (saved._duplicates as DuplicateMatch[]) : [];
      if (matches.length) setWarned({ record: saved, matches });
      else onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.problems.length) show(error.problems.map((p) => ({ pointer: p.pointer, code: p.code, message: p.message })));
      else if (error instanceof ApiError && error.status === 412) setFormProblems([t('record.conflict')]);
      else setFormProblems([error instanceof Error ? error.message : String(error)]);
    } finally {
      setSaving(false);
    }
  };

  const item = (name: string, wide: boolean) => {
    const p = schema.properties[name];
    const def = defs.get(name);
    // The record type is chosen above the form (it decides the schema itself).
    if (!p || !def || states.hidden.has(name) || name === 'record_type') return null;
    const readOnly = !isInput(p) || states.readOnly.has(name);
    const dependsOn = p['x-dependsOn']?.field;
    return (
      <FormField
        key={name}
        def={def}
        label={label(def.label, name)}
        help={def.help ? label(def.help) : undefined}
        property={p}
        wide={wide}
        required={!readOnly && (schema.required.includes(name) || states.required.has(name))}
        readOnly={readOnly}
        value={readOnly ? values[name] : undefined}
        controlling={dependsOn ? values[dependsOn] : undefined}
      />
    );
  };

  if (warned) {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="duplicate-warning"
        title={t('form.duplicateWarning', { count: warned.matches.length })}
        description={
          <ul style={{ margin: 0 }}>
            {warned.matches.map((m) => (
              <li key={`${m.rule}/${m.id}`}>
                <Link to={`/app/o/${object.name}/${m.id}`} target="_blank" data-testid="duplicate-link">{m.name === undefined ? m.id : String(m.name)}</Link>
                {m.score < 1 ? ` (${Math.round(m.score * 100)}%)` : ''}
              </li>
            ))}
          </ul>
        }
        action={<Button type="primary" onClick={() => onSaved(warned.record)} data-testid="duplicate-continue">{t('form.continue')}</Button>}
      />
    );
  }

  return (
    <Form form={form} layout="vertical" initialValues={before ?? initial ?? {}} onValuesChange={onValuesChange} onFinish={() => void save()} data-testid="record-form" scrollToFirstError>
      {formProblems.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('form.problems')} description={<ul style={{ margin: 0 }}>{formProblems.map((m, i) => <li key={i}>{m}</li>)}</ul>} data-testid="form-problems" />}
      {extra}
      {!statesKnown && <Skeleton active />}
      {statesKnown && sections.map((section, i) => (
        <Card key={i} size="small" title={section.label ? label(section.label) : undefined} style={{ marginBottom: 16 }}>
          {section.grid ? (
            <FieldGrid columns={2}>{section.columns[0]!.map((name) => item(name, false))}</FieldGrid>
          ) : (
            <Row gutter={16}>
              {section.columns.map((column, c) => (
                <Col key={c} xs={24} md={24 / section.columns.length}>
                  <FieldGrid columns={1}>{column.map((name) => item(name, true))}</FieldGrid>
                </Col>
              ))}
            </Row>
          )}
        </Card>
      ))}
      <Space style={{ position: 'sticky', bottom: 0, background: '#fff', padding: '12px 0', width: '100%', zIndex: 2 }}>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="save-record">
          {before ? t('common.save') : t('common.create')}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
      </Space>
    </Form>
  );
}

