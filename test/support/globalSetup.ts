import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '../../functions/local/dynamoLocal';
import type { DynamoLocal } from '../../functions/local/dynamoLocal';

let dynamo: DynamoLocal | undefined;

/** Starts one in-memory DynamoDB Local for the run; test files reach it through `inject('dynamoEndpoint')`. */
export async function setup(project: TestProject): Promise<void> {
  dynamo = await startDynamoLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
