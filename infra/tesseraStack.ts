import { CfnOutput, Lazy, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { FeaturePlan } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { AdminSite } from './constructs/adminSite';
import { ApiAlarms } from './constructs/apiAlarms';
import { Automation } from './constructs/automation';
import { DataTable } from './constructs/dataTable';
import { Identity } from './constructs/identity';
import { RecordApi } from './constructs/recordApi';

export interface TesseraStackProps extends StackProps {
  /** `dev`, `prod`, …: names the stack, tags every resource. */
  readonly stage: string;
  /** Browser origins besides the admin site's own URL. @default [] */
  readonly corsOrigins?: readonly string[];
  /** Receives alarm e-mails. @default - no subscription */
  readonly alarmEmail?: string;
  /** The built admin UI (`admin-ui/dist`). @default - no admin site */
  readonly adminUiDir?: string;
  /** API custom domain and its certificate ARN (same region as the stack). @default - none */
  readonly apiDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** Admin site custom domain and its certificate ARN (us-east-1). @default - none */
  readonly siteDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** @default FeaturePlan.ESSENTIALS */
  readonly cognitoFeaturePlan?: FeaturePlan;
  /** @default 1000 */
  readonly metadataTtlMs?: number;
}

/**
 * Everything one stage of Tessera runs on. No physical names: CloudFormation names every
 * resource, so stages (and accounts) never collide.
 */
export class TesseraStack extends Stack {
  readonly data: DataTable;
  readonly identity: Identity;
  readonly api: RecordApi;
  readonly alarms: ApiAlarms;
  readonly automation: Automation;
  readonly site?: AdminSite;

  constructor(scope: Construct, id: string, props: TesseraStackProps) {
    super(scope, id, { description: `Tessera CRM (${props.stage})`, ...props });
    this.data = new DataTable(this, 'Data');
    this.identity = new Identity(this, 'Identity', props.cognitoFeaturePlan ? { featurePlan: props.cognitoFeaturePlan } : {});

    // The API must allow the admin site's origin, and the site's config.json names the API:
    // no cycle in CloudFormation, but the origin is read lazily, once the site exists.
    let site: AdminSite | undefined;
    const siteOrigin = !props.adminUiDir
      ? []
      : [props.siteDomain ? `https://${props.siteDomain.domainName}` : Lazy.string({ produce: () => `https://${site!.distribution.distributionDomainName}` })];
    this.api = new RecordApi(this, 'Api', {
      table: this.data,
      identity: this.identity,
      corsOrigins: [...(props.corsOrigins ?? []), ...siteOrigin],
      ...(props.metadataTtlMs !== undefined ? { metadataTtlMs: props.metadataTtlMs } : {}),
      ...(props.apiDomain ? { domain: { domainName: props.apiDomain.domainName, certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', props.apiDomain.certificateArn) } } : {}),
    });
    this.alarms = new ApiAlarms(this, 'Alarms', { api: this.api, ...(props.alarmEmail ? { email: props.alarmEmail } : {}) });
    this.automation = new Automation(this, 'Automation', {
      table: this.data,
      alarmTopic: this.alarms.topic,
      ...(props.metadataTtlMs !== undefined ? { metadataTtlMs: props.metadataTtlMs } : {}),
    });
    if (props.adminUiDir) {
      site = new AdminSite(this, 'AdminSite', {
        sourceDir: props.adminUiDir,
        config: { apiUrl: this.api.url, region: this.region, userPoolId: this.identity.userPool.userPoolId, userPoolClientId: this.identity.client.userPoolClientId },
        ...(props.siteDomain ? { domain: { domainNames: [props.siteDomain.domainName], certificate: Certificate.fromCertificateArn(this, 'SiteCertificate', props.siteDomain.certificateArn) } } : {}),
      });
      this.site = site;
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the API for people (Cognito sign-in: the admin console and staff app)' });
    new CfnOutput(this, 'IntegrationApiUrl', { value: this.api.integrationUrl, description: 'Base URL of the same API for other systems (API keys)' });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName, description: 'The DynamoDB table (for infra/firstAdmin.ts)' });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.client.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Subscribe to hear about alarms' });
    if (this.api.domain) new CfnOutput(this, 'ApiDomainTarget', { value: this.api.domain.regionalDomainName, description: `CNAME ${props.apiDomain!.domainName} to this` });
    if (this.site) new CfnOutput(this, 'AdminUrl', { value: this.site.url, description: `Admin UI${props.siteDomain ? ` (CNAME ${props.siteDomain.domainName} to the distribution)` : ''}` });
  }
}
