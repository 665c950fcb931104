import { Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteGroup } from '../../functions/api/http';
import { LAMBDA_BUNDLE, PROJECT_ROOT, RUNTIME_ENV, lambdaEntry } from '../bundling';
import { TABLE_ACCESS } from '../tableAccess';

/** Where Lambda unpacks a function's code. */
const LAMBDA_TASK_ROOT = '/var/task';
import type { DataTable } from './dataTable';

export interface GroupFunctionProps {
  readonly group: RouteGroup;
  readonly table: DataTable;
  /** Configuration read by `functions/api/services.ts` and `createHandler`. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default 1024 — CPU scales with memory; compiling a tenant's metadata is CPU-bound. */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * One route group's Lambda function: Node.js 24 on arm64, bundled by the local esbuild,
 * its own log group with retention, and a role that may write that log group and do to the
 * table exactly what `TABLE_ACCESS` lists for the group — nothing else, no managed policy.
 */
export class GroupFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: GroupFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `Tessera ${props.group} API function` });
    this.logGroup.grantWrite(role);
    for (const statement of tableStatements(props.group, props.table)) role.addToPolicy(statement);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: lambdaEntry(props.group),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      description: `Tessera API: ${props.group} routes`,
      environment: { ...RUNTIME_ENV, ...(props.group === 'metadata' ? { TESSERA_TEMPLATES_DIR: `${LAMBDA_TASK_ROOT}/templates` } : {}), ...props.environment },
      bundling: {
        // The metadata group serves the template gallery and installs templates: ship the catalog beside the code.
        ...(props.group === 'metadata'
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [`cp -r "${inputDir}/metadata/templates" "${outputDir}/templates"`],
              },
            }
          : {}),
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourcemap,
        sourcesContent: LAMBDA_BUNDLE.sourcesContent,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        banner: LAMBDA_BUNDLE.banner.js,
        externalModules: [...LAMBDA_BUNDLE.external],
        // Never Docker: there may be none, and the local esbuild is the one the tests ran.
        forceDockerBundling: false,
      },
    });
  }
}

/** The group's DynamoDB statements: item actions on the table, Query on the indexes it reads. */
export function tableStatements(group: RouteGroup, table: DataTable): PolicyStatement[] {
  const access = TABLE_ACCESS[group];
  const statements: PolicyStatement[] = [];
  if (access.actions.length > 0) {
    statements.push(new PolicyStatement({ effect: Effect.ALLOW, actions: access.actions.map((a) => `dynamodb:${a}`), resources: [table.table.tableArn] }));
  }
  if (access.indexes.length > 0) {
    statements.push(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: table.indexArns(access.indexes) }));
  }
  return statements;
}
