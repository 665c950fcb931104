/** The rule editors' English/Chinese input as an antd form control (`Form.Item` passes value and onChange). */
import type { Labels } from '../../types';
import { LabelsInput } from '../rules/common';

export function LabelsField({ value, onChange, testId }: { value?: Labels; onChange?: (labels: Labels) => void; testId?: string }) {
  return <LabelsInput value={value} onChange={(labels) => onChange?.(labels)} {...(testId ? { testId } : {})} />;
}
