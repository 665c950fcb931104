import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountRecovery, ClientAttributes, FeaturePlan, Mfa, StringAttribute, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface IdentityProps {
  /**
   * Cognito feature plan. PLUS adds threat protection (compromised credentials, adaptive
   * authentication) and is billed for every monthly active user, with no free tier.
   * @default FeaturePlan.ESSENTIALS
   */
  readonly featurePlan?: FeaturePlan;
  /**
   * What happens to the user pool when it leaves the stack: it holds every sign-in.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The Cognito user pool that signs staff in, and the app client the admin UI uses.
 *
 * ID tokens carry what the handlers read (`functions/api/auth/tokens.ts`): `custom:tenant`,
 * `custom:roles` (comma-separated) and `custom:userId` (the user's ULID in the table).
 * Administrators set them; the app client can neither write them nor sign anyone up, so no
 * user can move themselves to another tenant or grant themselves a role.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: IdentityProps = {}) {
    super(scope, id);
    const featurePlan = props.featurePlan ?? FeaturePlan.ESSENTIALS;
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      customAttributes: {
        // Tenant ids: lower-case, 2–40 characters (TENANT_ID in functions/engine/ids.ts). A user never changes tenant.
        tenant: new StringAttribute({ minLen: 2, maxLen: 40, mutable: false }),
        roles: new StringAttribute({ minLen: 1, maxLen: 2048, mutable: true }),
        // A ULID: the user's id in the table, what owner fields and history point at.
        userId: new StringAttribute({ minLen: 26, maxLen: 26, mutable: false }),
      },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      // A CRM holds customers' personal data: every account has a second factor (an authenticator app).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (featurePlan !== FeaturePlan.PLUS) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'Threat protection needs the Plus plan, billed per monthly active user from the first user; Essentials is free for the first 10,000. MFA is required for everyone instead; set featurePlan PLUS where adaptive authentication is worth the price.',
      });
    }

    this.client = this.userPool.addClient('AdminUi', {
      // A browser app: no client secret, SRP so the password never leaves the browser.
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      // The admin UI signs in with the SDK, not the hosted pages; nothing to redirect to yet.
      disableOAuth: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // A working day, like the local identity provider's tokens.
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }).withCustomAttributes('tenant', 'roles', 'userId'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
  }

  /** The issuer of the pool's tokens, as the JWT authorizer and the handlers check it. */
  get issuer(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
