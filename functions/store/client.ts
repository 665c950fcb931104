import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface StoreConfig {
  readonly tableName: string;
  /** DynamoDB Local's URL; absent in AWS. */
  readonly endpoint?: string;
  readonly region?: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const tableName = env.TESSERA_TABLE;
  if (!tableName) throw new Error('TESSERA_TABLE is not set');
  return {
    tableName,
    ...(env.TESSERA_DYNAMODB_ENDPOINT ? { endpoint: env.TESSERA_DYNAMODB_ENDPOINT } : {}),
    region: env.AWS_REGION ?? 'us-east-1',
  };
}

/** Commands sent, by name — lets tests prove that no API path ever scans. */
export type CommandLog = Map<string, number>;

export function createDocumentClient(config: StoreConfig, log?: CommandLog): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region ?? 'us-east-1',
    ...(config.endpoint
      ? // DynamoDB Local checks no credentials; fixed ones keep the SDK from searching the machine for some.
        { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 4,
  });
  if (log) {
    client.middlewareStack.add(
      (next, context) => (args) => {
        const name = String(context.commandName ?? 'unknown');
        log.set(name, (log.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'tesseraCommandLog' },
    );
  }
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
}
