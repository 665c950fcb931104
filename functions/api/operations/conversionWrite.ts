import { conversionOf } from '../../engine/conversions/conversionProblems';
import { EngineError } from '../../engine/errors';
import type { ConversionDef } from '../../engine/metadata/types';
import { BUILT_IN_ADMIN } from '../../engine/metadata/types';
import type { StoredRecord } from '../../engine/records/types';
import type { SaveContext } from './save';

/*
 * The conversion's part of the one write pipeline (save.ts): a converted record (a lead
 * turned into an account, a contact and an opportunity) is kept as it was converted —
 * people's edits are refused (409 `record.converted`). Automation (an after-save rule the
 * conversion itself fired) and an administrator repairing data pass, as with the approval lock.
 */

/** Whether a record of the conversion's object has been converted: its status says so, or it links to what it became. */
export function isConverted(conversion: ConversionDef, record: StoredRecord): boolean {
  if (record.values[conversion.status.field] === conversion.status.value) return true;
  return conversion.convertedAt !== undefined && record.values[conversion.convertedAt] !== undefined;
}

export function convertedError(object: string, record: StoredRecord, conversion: ConversionDef): EngineError {
  const links = Object.fromEntries((['account', 'contact', 'opportunity'] as const).flatMap((role) => {
    const link = conversion[role]?.link;
    const id = link ? record.values[link] : undefined;
    return typeof id === 'string' ? [[role, id] as const] : [];
  }));
  return new EngineError('record.converted', `This ${object} record has been converted; it is read-only`, [{ path: '', code: 'converted', message: 'the record has been converted', params: { conversion: conversion.name } }], { converted: links });
}

/** Before anything else of an update runs. */
export function assertNotConverted(ctx: SaveContext, current: StoredRecord): void {
  const conversion = conversionOf(ctx.bundle.bundle, ctx.object.name);
  if (!conversion || !isConverted(conversion, current)) return;
  if (ctx.cause || ctx.actor.roles.includes(BUILT_IN_ADMIN)) return;
  throw convertedError(ctx.object.name, current, conversion);
}
