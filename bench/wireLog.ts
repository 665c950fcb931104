import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One request as it went over the wire to DynamoDB. */
export interface WireRequest {
  /** DynamoDB operation, from the X-Amz-Target header: `TransactWriteItems`, `Query`, … */
  readonly operation: string;
  /** Serialised request body size: what "similar item sizes" is checked against. */
  readonly bytes: number;
  /** Items in a TransactWriteItems, with their kinds (`Put`, `ConditionCheck`, …). */
  readonly transactItems?: readonly string[];
  readonly limit?: number;
  readonly indexName?: string;
  readonly consistentRead?: boolean;
  /** The partition value of a Query (`:p`), to check that API and raw read the same partition. */
  readonly partition?: string;
}

/**
 * Records what a client sends while `recording` is on. Installed on both the API's client
 * and the raw client, so the report can show that each API operation stands on the same
 * DynamoDB requests as its raw comparator. Off while timing.
 */
export class WireLog {
  recording = false;
  readonly requests: WireRequest[] = [];

  install(doc: DynamoDBDocumentClient): void {
    doc.middlewareStack.add(
      (next) => async (args) => {
        if (this.recording) this.requests.push(describe(args.request as { headers?: Record<string, string>; body?: unknown }));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'benchWireLog' },
    );
  }

  /** Runs `fn` with recording on and returns the requests it sent. */
  async capture<T>(fn: () => Promise<T>): Promise<{ result: T; requests: WireRequest[] }> {
    this.requests.length = 0;
    this.recording = true;
    try {
      const result = await fn();
      return { result, requests: [...this.requests] };
    } finally {
      this.recording = false;
    }
  }
}

function describe(request: { headers?: Record<string, string>; body?: unknown }): WireRequest {
  const target = request.headers?.['x-amz-target'] ?? request.headers?.['X-Amz-Target'] ?? '';
  // The SDK's JSON body is a Uint8Array with string methods that warn when used: read its bytes.
  const raw = request.body;
  const text = raw == null ? '' : raw instanceof Uint8Array ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8') : String(raw);
  const body = text ? (JSON.parse(text) as Record<string, any>) : {};
  const name = target.split('.').pop() ?? 'unknown';
  // Reads the API makes once per cache TTL (metadata head, caller) are named, so they are not mistaken for the record read.
  const pk = String(body.Key?.pk?.S ?? '');
  const operation = name === 'GetItem' && pk.endsWith('#META') ? 'GetItem(metadata head)' : name === 'GetItem' && pk.includes('#USER#') ? 'GetItem(user)' : name;
  return {
    operation,
    bytes: Buffer.byteLength(text),
    ...(Array.isArray(body.TransactItems) ? { transactItems: body.TransactItems.map((i: Record<string, unknown>) => Object.keys(i)[0]!) } : {}),
    ...(typeof body.Limit === 'number' ? { limit: body.Limit } : {}),
    ...(typeof body.IndexName === 'string' ? { indexName: body.IndexName } : {}),
    ...(body.ConsistentRead ? { consistentRead: true } : {}),
    ...(body.ExpressionAttributeValues?.[':p']?.S ? { partition: body.ExpressionAttributeValues[':p'].S as string } : {}),
  };
}

/** `TransactWriteItems[Put,Put,Put,ConditionCheck] 2,345 B` */
export function wireSummary(requests: readonly WireRequest[]): string {
  if (requests.length === 0) return '(no DynamoDB request)';
  return requests
    .map((r) => {
      const parts = [r.operation];
      if (r.transactItems) parts[0] += `[${r.transactItems.join(',')}]`;
      if (r.indexName) parts.push(`index ${r.indexName}`);
      if (r.limit !== undefined) parts.push(`Limit ${r.limit}`);
      if (r.consistentRead) parts.push('consistent');
      parts.push(`${r.bytes.toLocaleString('en')} B`);
      return parts.join(' ');
    })
    .join(' + ');
}

/**
 * Time spent inside a client's `send` (SDK marshalling, HTTP and DynamoDB Local), summed,
 * and the number of requests. Read before and after one API call, it splits the call into
 * DynamoDB time and the time the handler spends on everything else (middy, token, caller,
 * metadata, engine, JSON), and shows calls that made extra requests (cache re-reads).
 */
export class SdkClock {
  ms = 0;
  requests = 0;

  install(doc: DynamoDBDocumentClient): void {
    doc.middlewareStack.add(
      (next) => async (args) => {
        const started = performance.now();
        this.requests++;
        try {
          return await next(args);
        } finally {
          this.ms += performance.now() - started;
        }
      },
      { step: 'initialize', priority: 'high', name: 'benchSdkClock' },
    );
  }
}
