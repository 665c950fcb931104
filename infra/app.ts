/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). `npx cdk deploy -c stage=dev` deploys
 * the stack `Tessera-dev`. The AWS Solutions checks of cdk-nag run on every synth: a finding
 * without a reasoned acknowledgement stops it.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageConfig } from './stageConfig';
import { TesseraStack } from './tesseraStack';

const app = new App();
const config = stageConfig((key) => app.node.tryGetContext(key));
const stack = new TesseraStack(app, `Tessera-${config.stage}`, config);
Tags.of(stack).add('tessera:stage', config.stage);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
