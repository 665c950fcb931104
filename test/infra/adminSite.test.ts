import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageConfig } from '../../infra/stageConfig';
import { TesseraStack } from '../../infra/tesseraStack';
import { resourcesOf } from './templateHelpers';

/*
 * The admin site from a stand-in build (a temp directory), composed into the stack as
 * `admin-ui/dist` would be. Function bundling is skipped here (`aws:cdk:bundling-stacks`):
 * stack.test.ts and bundles.test.ts cover the functions.
 */
const SITE_DOMAIN = 'crm.example.com';
let root: string;
const apps: App[] = [];

function synth(name: string, context: Record<string, string>): { app: App; template: Template; outdir: string } {
  const outdir = join(root, `out-${name}`);
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new TesseraStack(app, `Tessera-${name}`, stageConfig((key) => ({ stage: name, ...context })[key], { adminUiDir: join(root, 'dist') }));
  apps.push(app);
  const template = Template.fromStack(stack);
  return { app, template, outdir };
}

let withDomain: ReturnType<typeof synth>;
let plain: ReturnType<typeof synth>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tessera-site-'));
  mkdirSync(join(root, 'dist', 'assets'), { recursive: true });
  writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html><title>Tessera</title><script type="module" src="/assets/app-1a2b3c.js"></script>');
  writeFileSync(join(root, 'dist', 'assets', 'app-1a2b3c.js'), 'console.log("tessera")');
  writeFileSync(join(root, 'dist', 'favicon.svg'), '<svg/>');
  withDomain = synth('site', {
    siteDomain: SITE_DOMAIN,
    siteCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/site',
    apiDomain: 'api.example.com',
    apiCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/api',
  });
  plain = synth('plain', {});
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('AdminSite', () => {
  it('keeps the bucket private and encrypted, readable only by the distribution over TLS', () => {
    const [bucket] = resourcesOf(withDomain.template, 'AWS::S3::Bucket');
    expect(bucket!.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket!.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    const policy = JSON.stringify(resourcesOf(withDomain.template, 'AWS::S3::BucketPolicy')[0]!.Properties.PolicyDocument);
    expect(policy).toContain('"aws:SecureTransport":"false"');
    expect(policy).toContain('cloudfront.amazonaws.com');
    expect(resourcesOf(withDomain.template, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
  });

  it('serves index.html at the root and for paths the app routes, under its domain with TLS 1.2 at least', () => {
    const [distribution] = resourcesOf(withDomain.template, 'AWS::CloudFront::Distribution');
    const config = distribution!.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.CustomErrorResponses).toEqual([403, 404].map((ErrorCode) => ({ ErrorCode, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 })));
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Aliases).toEqual([SITE_DOMAIN]);
    expect(config.ViewerCertificate.MinimumProtocolVersion).toBe('TLSv1.2_2021');
  });

  it('deploys the hashed assets cacheable for a year and index.html with a generated config.json never cached, invalidating only those two', () => {
    const deployments = resourcesOf(withDomain.template, 'Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(2);
    const entry = deployments.find((d) => d.Properties.DistributionPaths)!;
    const assets = deployments.find((d) => d !== entry)!;
    expect(entry.Properties.DistributionPaths).toEqual(['/index.html', '/config.json']);
    expect(entry.Properties.SystemMetadata['cache-control']).toBe('no-cache');
    expect(assets.Properties.SystemMetadata['cache-control']).toBe('public, max-age=31536000, immutable');

    const files = (d: typeof entry) =>
      (d.Properties.SourceObjectKeys as string[])
        .flatMap((key) => readdirSync(join(withDomain.outdir, `asset.${key.replace(/\.zip$/, '')}`), { recursive: true }).map(String))
        .filter((f) => f.includes('.'))
        .sort();
    // The entry deployment's second source is the generated config.json.
    expect(files(entry)).toEqual(['config.json', 'index.html']);
    expect(files(assets)).toEqual(['assets/app-1a2b3c.js', 'favicon.svg']);
  });

  it('writes the API URL, region, user pool and client into config.json at deploy time', () => {
    const entry = resourcesOf(withDomain.template, 'Custom::CDKBucketDeployment').find((d) => d.Properties.DistributionPaths)!;
    const configKey = (entry.Properties.SourceObjectKeys as string[]).find((key) => readdirSync(join(withDomain.outdir, `asset.${key.replace(/\.zip$/, '')}`)).includes('config.json'))!;
    const config = JSON.parse(readFileSync(join(withDomain.outdir, `asset.${configKey.replace(/\.zip$/, '')}`, 'config.json'), 'utf8'));
    const markers = (entry.Properties.SourceMarkers as Array<Record<string, unknown>>).find((m) => Object.keys(m).length > 0)!;
    const resolved = (value: string) => value.replace(/<<marker:0xbaba:\d+>>/g, (m) => JSON.stringify(markers[m]));
    const domainId = resourcesOf(withDomain.template, 'AWS::ApiGatewayV2::DomainName')[0]!.id;
    expect(Object.keys(config).sort()).toEqual(['apiUrl', 'region', 'userPoolClientId', 'userPoolId']);
    expect(resolved(config.apiUrl)).toBe(`https://{"Ref":"${domainId}"}/`);
    expect(resolved(config.region)).toBe('{"Ref":"AWS::Region"}');
    expect(resolved(config.userPoolId)).toBe(`{"Ref":"${resourcesOf(withDomain.template, 'AWS::Cognito::UserPool')[0]!.id}"}`);
    expect(resolved(config.userPoolClientId)).toBe(`{"Ref":"${resourcesOf(withDomain.template, 'AWS::Cognito::UserPoolClient')[0]!.id}"}`);
  });

  it('lets the site’s origin call the API: its custom domain, or the distribution’s own name without one', () => {
    const [api] = resourcesOf(withDomain.template, 'AWS::ApiGatewayV2::Api', (_id, a) => a.Properties.CorsConfiguration);
    expect(api!.Properties.CorsConfiguration.AllowOrigins).toEqual([`https://${SITE_DOMAIN}`]);
    const [plainApi] = resourcesOf(plain.template, 'AWS::ApiGatewayV2::Api', (_id, a) => a.Properties.CorsConfiguration);
    const distributionId = resourcesOf(plain.template, 'AWS::CloudFront::Distribution')[0]!.id;
    expect(JSON.stringify(plainApi!.Properties.CorsConfiguration.AllowOrigins)).toContain(`"Fn::GetAtt":["${distributionId}","DomainName"]`);
    // The route functions answer with CORS headers (the authorizer answers API Gateway only).
    const routeFunctions = resourcesOf(plain.template, 'AWS::Lambda::Function', (_id, f) => /^Tessera API: \w+ routes$/.test(f.Properties.Description ?? ''));
    expect(routeFunctions.length).toBeGreaterThan(0);
    for (const fn of routeFunctions) {
      expect(JSON.stringify(fn.Properties.Environment.Variables.TESSERA_CORS_ORIGINS)).toContain(distributionId);
    }
  });

  it('maps the API’s custom domain to its stage', () => {
    const [domain] = resourcesOf(withDomain.template, 'AWS::ApiGatewayV2::DomainName');
    expect(domain!.Properties.DomainName).toBe('api.example.com');
    expect(resourcesOf(withDomain.template, 'AWS::ApiGatewayV2::ApiMapping')).toHaveLength(1);
  });

  it.each([
    { title: 'with custom domains', get: () => withDomain.app },
    { title: 'without', get: () => plain.app },
  ])('passes the cdk-nag AWS Solutions checks $title, every exception acknowledged with a reason', ({ get }) => {
    const report = new AwsSolutionsChecks(get()).validateScope(get());
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});
