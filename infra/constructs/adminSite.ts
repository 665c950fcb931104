import { DefaultStackSynthesizer, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Distribution, PriceClass, ResponseHeadersPolicy, SecurityPolicyProtocol, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

export interface AdminSiteProps {
  /** The built admin UI: a directory with `index.html` (`admin-ui/dist`). */
  readonly sourceDir: string;
  /**
   * Written to `/config.json` at deploy time (the API URL, the user pool and client), so one
   * build serves every stage.
   */
  readonly config: Readonly<Record<string, string>>;
  /**
   * Custom domain names and their certificate (ACM, in us-east-1, as CloudFront requires).
   * @default - the distribution's *.cloudfront.net name only
   */
  readonly domain?: { readonly domainNames: readonly string[]; readonly certificate: ICertificate };
}

/** Never cached: they name the current build and the stage's endpoints. */
const ENTRY_FILES = ['index.html', 'config.json'];

/**
 * The admin UI: a private S3 bucket read only by CloudFront (origin access control), the
 * build deployed into it, and `config.json` generated from the stack's outputs. Unknown
 * paths answer `index.html` so the single-page app can route them.
 */
export class AdminSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: AdminSiteProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The bucket holds the public build of the admin UI and only CloudFront reads it; server access logs would record CloudFront fetching static files. API access logs record what users do.',
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Tessera admin UI',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: true,
      },
      // The bucket is private, so a path the app routes client-side comes back 403 from S3.
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(0) })),
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.domain ? { domainNames: [...props.domain.domainNames], certificate: props.domain.certificate, minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 } : {}),
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'Staff sign in from wherever they work; a tenant-wide country list is not a platform default.' },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'The distribution serves static files only; the API is behind Cognito and throttling. A web ACL costs at least $5 a month plus $0.60 per million requests; attach one with webAclId where required.',
      },
      { id: 'AwsSolutions-CFR3', reason: 'Static files only: CloudFront access logs would record asset downloads. API access logs record what users do.' },
    );
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason: 'The default *.cloudfront.net certificate cannot be limited to TLS 1.2; with a custom domain the distribution requires TLSv1.2_2021.',
      });
    }

    const logGroup = new LogGroup(this, 'DeploymentLogs', { retention: RetentionDays.ONE_WEEK });
    // Hashed assets first and forever cacheable; then the entry files, never cached.
    const assets = new BucketDeployment(this, 'Assets', {
      destinationBucket: this.bucket,
      sources: [Source.asset(props.sourceDir, { exclude: ENTRY_FILES })],
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      // Old hashed files stay: a browser still on the previous index.html may ask for them.
      prune: false,
      logGroup,
    });
    const entry = new BucketDeployment(this, 'Entry', {
      destinationBucket: this.bucket,
      sources: [Source.asset(props.sourceDir, { exclude: ['*', ...ENTRY_FILES.map((f) => `!${f}`)] }), Source.jsonData('config.json', props.config)],
      cacheControl: [CacheControl.noCache()],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ENTRY_FILES.map((f) => `/${f}`),
      logGroup,
    });
    entry.node.addDependency(assets);
    acknowledgeDeploymentHandler(this);
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}

/**
 * BucketDeployment runs a Lambda function the CDK provides (one per stack, at stack level)
 * during deployment only: the AWS managed logging policy, the Python runtime its CDK version
 * pins, and the S3 and CloudFront permissions it needs to copy the build from the CDK asset
 * bucket into the site's bucket and invalidate the entry files. Acknowledged there, finding
 * by finding, and nowhere else.
 */
function acknowledgeDeploymentHandler(site: AdminSite): void {
  const stack = Stack.of(site);
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) return;
  const reason = (what: string) => `CDK BucketDeployment's deploy-time function (not in any request path): ${what}.`;
  const qualifier = String(stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER);
  const siteBucket = stack.getLogicalId(site.bucket.node.defaultChild as CfnBucket);
  const s3Actions = ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'];
  Validations.of(handler).acknowledge(
    { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: reason('its logging role is defined by the CDK') },
    { id: 'AwsSolutions-L1', reason: reason('its runtime is pinned by the CDK version') },
    ...s3Actions.map((action) => ({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: reason('the CDK grants read on the asset bucket and read-write on the site bucket with these action groups') })),
    { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*]`, reason: reason('it reads the build from the CDK asset bucket') },
    { id: `AwsSolutions-IAM5[Resource::<${siteBucket}.Arn>/*]`, reason: reason('it writes every object of the site bucket, and only that bucket') },
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: reason('CloudFront invalidation actions take no resource narrower than *') },
  );
}
