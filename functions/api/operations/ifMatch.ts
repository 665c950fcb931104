import { EngineError } from '../../engine/errors';

/**
 * Optimistic locking, the same for records, users and teams: `version` is the If-Match
 * header as parsed by `ifMatchVersion` (undefined when absent, NaN when not a version).
 */
export function checkIfMatch(version: number | undefined, required: true, what: string): number;
export function checkIfMatch(version: number | undefined, required: false, what: string): number | undefined;
export function checkIfMatch(version: number | undefined, required: boolean, what: string): number | undefined {
  if (version === undefined && required) throw new EngineError('record.versionRequired', `Send If-Match with the ${what} version you are changing`);
  if (version !== undefined && Number.isNaN(version)) {
    throw new EngineError('request.invalid', 'If-Match must be a version', [{ path: '/headers/if-match', code: 'type', message: 'must be a version number' }]);
  }
  return version;
}

/** 412 when the caller changes a version that is no longer current. */
export function assertCurrentVersion(current: number, version: number | undefined, what: string): void {
  if (version !== undefined && current !== version) {
    throw new EngineError('record.versionConflict', `The ${what} is at version ${current}, not ${version}`, [], { currentVersion: current });
  }
}
