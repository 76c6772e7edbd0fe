// An IAM group whose members can do nothing but set up their own MFA device and password until they sign in
// with MFA, and can never retag themselves or roles with the tag keys that drive ABAC.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${aws:username} is IAM policy-variable syntax, kept literal

import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { ABAC_TAG_KEYS } from "./abac-tags.js";

export interface MfaEnforcedGroupProps {
  /** Default: a name CloudFormation generates. */
  readonly groupName?: string;
  /** Members may list, create, rotate and delete their own access keys (with MFA). Default true. */
  readonly selfServiceAccessKeys?: boolean;
  /**
   * Members may also manage their own access keys before they have signed in with MFA. Only for CLI-only
   * users who must create their first key themselves; everything else still needs MFA. Default false.
   */
  readonly accessKeysWithoutMfa?: boolean;
  /** More tag keys (besides `Project` and `SSMSessionRunAs`) members may not set on themselves or roles. */
  readonly protectedTagKeys?: readonly string[];
}

/** What a member may do without MFA: set up a device, change the first password, read what that needs. */
const WITHOUT_MFA_ACTIONS = [
  "iam:ChangePassword",
  "iam:GetAccountPasswordPolicy",
  "iam:CreateVirtualMFADevice",
  "iam:EnableMFADevice",
  "iam:GetMFADevice",
  "iam:GetUser",
  "iam:ListMFADevices",
  "iam:ListVirtualMFADevices",
  "iam:ResyncMFADevice",
  "sts:GetSessionToken",
];

const ACCESS_KEY_ACTIONS = [
  "iam:CreateAccessKey",
  "iam:DeleteAccessKey",
  "iam:GetAccessKeyLastUsed",
  "iam:ListAccessKeys",
  "iam:UpdateAccessKey",
];

export class MfaEnforcedGroup extends Construct {
  readonly group: iam.Group;
  /** The self-service and MFA-enforcing policy attached to the group. */
  readonly policy: iam.ManagedPolicy;
  private assumeStatement: iam.PolicyStatement | undefined;

  constructor(scope: Construct, id: string, props: MfaEnforcedGroupProps = {}) {
    super(scope, id);
    const selfServiceKeys = props.selfServiceAccessKeys ?? true;
    const keysWithoutMfa = selfServiceKeys && (props.accessKeysWithoutMfa ?? false);
    this.policy = new iam.ManagedPolicy(this, "SelfServiceUntilMfa", {
      description: "Manage your own MFA device and password; everything else needs an MFA sign-in.",
      statements: [
        ...selfServiceStatements(Stack.of(this), selfServiceKeys),
        denyWithoutMfaStatement(keysWithoutMfa),
        denyAbacTagChangesStatement([...ABAC_TAG_KEYS, ...(props.protectedTagKeys ?? [])]),
      ],
    });
    this.group = new iam.Group(this, "Group", {
      ...(props.groupName === undefined ? {} : { groupName: props.groupName }),
      managedPolicies: [this.policy],
    });
  }

  /**
   * Lets members call sts:AssumeRole on these roles (their trust policies still decide, and require MFA).
   * Needed when a role trusts the account rather than the members themselves, or lives in another account.
   */
  allowAssumeRoles(...roleArns: string[]): void {
    if (this.assumeStatement === undefined) {
      this.assumeStatement = new iam.PolicyStatement({
        sid: "AssumeSessionRoles",
        actions: ["sts:AssumeRole"],
      });
      // Attached from the policy's side: on the group it would make a cycle group → policy → roles → users
      // → group when the roles trust members of this group.
      new iam.ManagedPolicy(this, "AssumeSessionRoles", {
        description: "Switch to the session roles (their trust policies require MFA).",
        statements: [this.assumeStatement],
        groups: [this.group],
      });
    }
    this.assumeStatement.addResources(...roleArns);
  }
}

/** What members may do to their own user (password, MFA devices, optionally access keys). */
function selfServiceStatements(stack: Stack, accessKeys: boolean): iam.PolicyStatement[] {
  const ownUser = stack.formatArn({
    service: "iam",
    region: "",
    resource: "user",
    resourceName: "${aws:username}",
  });
  const anyMfaDevice = stack.formatArn({ service: "iam", region: "", resource: "mfa", resourceName: "*" });
  const statements = [
    new iam.PolicyStatement({
      sid: "ViewAccountPasswordPolicyAndDevices",
      actions: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
      resources: ["*"],
    }),
    // Without ChangePassword and GetAccountPasswordPolicy here and in the deny's exceptions, a user whose
    // first sign-in demands a new password is locked out before reaching the MFA page.
    new iam.PolicyStatement({
      sid: "ManageOwnPassword",
      actions: ["iam:ChangePassword", "iam:GetUser", "iam:GetLoginProfile"],
      resources: [ownUser],
    }),
    // Device names are chosen by the user (several devices per user are allowed), so the device ARN cannot
    // be tied to the user name; what binds a device to a user is EnableMFADevice on the user's own ARN.
    new iam.PolicyStatement({
      sid: "CreateOwnVirtualMfaDevice",
      actions: ["iam:CreateVirtualMFADevice"],
      resources: [anyMfaDevice],
    }),
    new iam.PolicyStatement({
      sid: "ManageOwnMfa",
      actions: [
        "iam:DeactivateMFADevice",
        "iam:EnableMFADevice",
        "iam:GetMFADevice",
        "iam:ListMFADevices",
        "iam:ResyncMFADevice",
      ],
      resources: [ownUser],
    }),
  ];
  if (accessKeys) {
    statements.push(
      new iam.PolicyStatement({
        sid: "ManageOwnAccessKeys",
        actions: ACCESS_KEY_ACTIONS,
        resources: [ownUser],
      }),
    );
  }
  return statements;
}

/**
 * Everything but setting up MFA (and, for CLI-only users, their first access key) is denied until the
 * caller signed in with MFA. Long-term access keys carry no aws:MultiFactorAuthPresent at all: BoolIfExists
 * makes them "false". (DeactivateMFADevice is deliberately not excepted: removing a device needs MFA.)
 */
function denyWithoutMfaStatement(keysWithoutMfa: boolean): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: "DenyEverythingElseWithoutMfa",
    effect: iam.Effect.DENY,
    notActions: keysWithoutMfa ? [...WITHOUT_MFA_ACTIONS, ...ACCESS_KEY_ACTIONS] : WITHOUT_MFA_ACTIONS,
    resources: ["*"],
    conditions: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
  });
}

/**
 * aws:PrincipalTag/* of an IAM user comes from the user's tags, so a user who may tag itself chooses its
 * project and OS user. Tag keys are case-insensitive in condition keys, hence IgnoreCase.
 */
function denyAbacTagChangesStatement(protectedKeys: readonly string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: "DenyAbacTagChanges",
    effect: iam.Effect.DENY,
    actions: ["iam:TagUser", "iam:UntagUser", "iam:TagRole", "iam:UntagRole"],
    resources: ["*"],
    conditions: { "ForAnyValue:StringEqualsIgnoreCase": { "aws:TagKeys": [...protectedKeys] } },
  });
}
