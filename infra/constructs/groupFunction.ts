import { Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteGroup } from '../../functions/api/http';
import { LAMBDA_BUNDLE, PROJECT_ROOT, RUNTIME_ENV, lambdaEntry } from '../bundling';
import { TABLE_ACCESS } from '../tableAccess';
import type { TableAccess } from '../tableAccess';
import type { DataTable } from './dataTable';

/** Where Lambda unpacks a function's code. */
const LAMBDA_TASK_ROOT = '/var/task';

export interface TesseraFunctionProps {
  /** The entry file, exporting `handler`. */
  readonly entry: string;
  /** What the function may do to the table (`infra/tableAccess.ts`). */
  readonly access: TableAccess;
  readonly table: DataTable;
  /** Also names the function in the console, and tells functions apart in tests. */
  readonly description: string;
  /** Configuration read by `functions/api/services.ts` and the handler. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default 1024 — CPU scales with memory; compiling a tenant's metadata is CPU-bound. */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default - none */
  readonly commandHooks?: ICommandHooks;
}

/**
 * One Tessera Lambda function: Node.js 24 on arm64, bundled by the local esbuild with the
 * options in `infra/bundling.ts`, its own log group with retention, and a role that may write
 * that log group and do to the table exactly what its `access` lists — nothing else, no
 * managed policy. Other grants (queues, the stream) are added by whoever wires it.
 */
export class TesseraFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: TesseraFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: props.description });
    this.logGroup.grantWrite(this.role);
    for (const statement of tableStatements(props.access, props.table)) this.role.addToPolicy(statement);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      description: props.description,
      environment: { ...RUNTIME_ENV, ...props.environment },
      bundling: {
        ...(props.commandHooks ? { commandHooks: props.commandHooks } : {}),
        format: OutputFormat.CJS,
        target: LAMBDA_BUNDLE.target,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: LAMBDA_BUNDLE.sourcemap,
        sourcesContent: LAMBDA_BUNDLE.sourcesContent,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        define: { ...LAMBDA_BUNDLE.define },
        externalModules: [...LAMBDA_BUNDLE.external],
        // Never Docker: there may be none, and the local esbuild is the one the tests ran.
        forceDockerBundling: false,
      },
    });
  }
}

export interface GroupFunctionProps extends Omit<TesseraFunctionProps, 'entry' | 'access' | 'description' | 'commandHooks'> {
  readonly group: RouteGroup;
}

/** One route group's function: its entry `functions/api/lambda/<group>.ts`, its `TABLE_ACCESS`. */
export class GroupFunction extends TesseraFunction {
  constructor(scope: Construct, id: string, props: GroupFunctionProps) {
    const { group, ...rest } = props;
    // The metadata group serves the template gallery and installs templates: ship the catalog beside the code.
    const metadata = group === 'metadata';
    super(scope, id, {
      ...rest,
      entry: lambdaEntry(group),
      access: TABLE_ACCESS[group],
      description: `Tessera API: ${group} routes`,
      environment: { ...(metadata ? { TESSERA_TEMPLATES_DIR: `${LAMBDA_TASK_ROOT}/templates` } : {}), ...props.environment },
      ...(metadata
        ? {
            commandHooks: {
              beforeBundling: () => [],
              beforeInstall: () => [],
              afterBundling: (inputDir: string, outputDir: string) => [`cp -r "${inputDir}/metadata/templates" "${outputDir}/templates"`],
            },
          }
        : {}),
    });
  }
}

/** A function's DynamoDB statements: item actions on the table, Query on the indexes it reads. */
export function tableStatements(access: TableAccess, table: DataTable): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (access.actions.length > 0) {
    statements.push(new PolicyStatement({ effect: Effect.ALLOW, actions: access.actions.map((a) => `dynamodb:${a}`), resources: [table.table.tableArn] }));
  }
  if (access.indexes.length > 0) {
    statements.push(new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: table.indexArns(access.indexes) }));
  }
  return statements;
}
