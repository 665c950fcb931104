/**
 * One field of a generated form: its cell, its Form.Item and its control (or its value, when
 * read-only). Memoised on what it shows, so a keystroke in one field re-renders that field (and
 * the picklists that depend on it), not all fifty: the form passes each field only its own flags,
 * its label in the user's language and the one value it reads (its own when read-only, the
 * controlling field's for a dependent picklist).
 */
import { memo, useMemo } from 'react';
import type { ReactNode } from 'react';
import { Form, Grid, Typography } from 'antd';
import type { FieldDef } from '../../types';
import { useLanguage } from '../../useLanguage';
import { useStaff } from '../StaffContext';
import type { PropertySchema } from '../formModel';
import { allowedOptions } from '../formModel';
import { formatValue } from '../format';
import { FieldInput } from './FieldInput';

const WIDE = new Set(['textarea', 'multi-picklist']);
const FULL_ROW = { gridColumn: '1 / -1' };
const ITEM_STYLE = { marginBottom: 16 };

/**
 * A section's fields: two to a row from antd's `md` breakpoint (768 px) up, one below; a wide
 * field takes the whole row. One CSS grid rather than an antd Col per field: a Col is a styled
 * component with its own responsive class computation, ~0.2 ms each in a 50-field form.
 */
export function FieldGrid({ columns, children }: { columns: 1 | 2; children: ReactNode }) {
  const md = Grid.useBreakpoint().md !== false;
  return <div style={{ display: 'grid', gridTemplateColumns: md && columns === 2 ? 'repeat(2, minmax(0, 1fr))' : 'minmax(0, 1fr)', columnGap: 16 }}>{children}</div>;
}

export interface FormFieldProps {
  readonly def: FieldDef;
  /** The field's label and help in the user's language (resolved by the form, once per render). */
  readonly label: string;
  readonly help: string | undefined;
  readonly property: PropertySchema;
  /** Takes a whole row of its grid. */
  readonly wide: boolean;
  readonly required: boolean;
  readonly readOnly: boolean;
  /** The field's own value, read only when it is shown read-only. */
  readonly value: unknown;
  /** The value of the field a dependent picklist depends on (`x-dependsOn`). */
  readonly controlling: unknown;
}

export const FormField = memo(function FormField({ def, label, help, property, wide, required, readOnly, value, controlling }: FormFieldProps) {
  const dependsOn = property['x-dependsOn']?.field;
  const allowed = useMemo(() => allowedOptions(property, dependsOn ? { [dependsOn]: controlling } : {}), [property, dependsOn, controlling]);
  return (
    <div style={wide || WIDE.has(def.type) ? FULL_ROW : undefined} data-testid={`field-${def.name}`}>
      <Form.Item name={def.name} label={label} required={required} tooltip={help} style={ITEM_STYLE}>
        {readOnly ? <ReadOnlyValue def={def} raw={value} /> : <FieldInput field={def} allowed={allowed} />}
      </Form.Item>
    </div>
  );
});

/** `raw`, not `value`: Form.Item gives its child the form's `value`, which a computed field does not follow. */
function ReadOnlyValue({ def, raw }: { def: FieldDef; raw: unknown }) {
  const { language } = useLanguage();
  const { nameOf } = useStaff();
  const text = formatValue(def, raw, language, nameOf);
  return <Typography.Text type={text ? undefined : 'secondary'}>{text || '—'}</Typography.Text>;
}
