// A role for one project's operators: assumable only with MFA, it may open sessions (with the documents it is
// given) on that project's instances and managed nodes, end only its own sessions, and start/stop the
// project's instances. Which project and OS user come from the role's own tags.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${aws:…} is IAM policy-variable syntax, kept literal

import { type Duration, Stack, Tags } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { PROJECT_TAG, RUN_AS_TAG } from "./abac-tags.js";
import { ConstructPropsError } from "./construct-error.js";
import { type SessionDocument, sessionDocumentArn, sessionDocumentName } from "./session-documents.js";

export interface SessionAccessRoleProps {
  /** Value of the role's `Project` tag: the role reaches instances and nodes tagged with the same value. */
  readonly project: string;
  /** Value of the role's `SSMSessionRunAs` tag: the OS user its sessions run as (Run As must be on). */
  readonly runAs: string;
  /** Default: a name CloudFormation generates. */
  readonly roleName?: string;
  readonly description?: string;
  /** Users of this stack's account, by name. Prefer `trustedUsers` for users created in the same stack. */
  readonly trustedUserNames?: readonly string[];
  /** Users created in this app; the role then waits for them (a trust policy may not name a missing user). */
  readonly trustedUsers?: readonly iam.IUser[];
  /** Users of other accounts, by ARN. */
  readonly trustedUserArns?: readonly string[];
  /** Whole accounts (their IAM policies then decide which of their principals may assume the role). */
  readonly trustedAccounts?: readonly string[];
  /** Documents sessions may use. Default: the shell only. */
  readonly documents?: readonly SessionDocument[];
  /** The key sessions are encrypted with: the role gets kms:GenerateDataKey on it. */
  readonly sessionKey?: kms.IKey;
  /** Default 1 hour. */
  readonly maxSessionDuration?: Duration;
  /** Refuse AssumeRole when the MFA sign-in is older than this (aws:MultiFactorAuthAge). Default: no limit. */
  readonly maxMfaAge?: Duration;
}

// Characters IAM allows in tag values; Run As names as Session Manager and useradd take them.
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const OS_USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;

export class SessionAccessRole extends Construct {
  readonly role: iam.Role;
  readonly project: string;
  readonly runAs: string;

  constructor(scope: Construct, id: string, props: SessionAccessRoleProps) {
    super(scope, id);
    checkProps(props);
    this.project = props.project;
    this.runAs = props.runAs;
    const stack = Stack.of(this);

    const principals: iam.IPrincipal[] = [
      ...(props.trustedUsers ?? []),
      ...(props.trustedUserNames ?? []).map(
        (name) =>
          new iam.ArnPrincipal(
            stack.formatArn({ service: "iam", region: "", resource: "user", resourceName: name }),
          ),
      ),
      ...(props.trustedUserArns ?? []).map((arn) => new iam.ArnPrincipal(arn)),
      ...(props.trustedAccounts ?? []).map((account) => new iam.AccountPrincipal(account)),
    ];
    // Bool, not BoolIfExists: long-term keys carry no MFA key at all, and BoolIfExists would let them in.
    // No sts:TagSession: session tags override the role's Project and SSMSessionRunAs tags.
    const conditions: Record<string, Record<string, unknown>> = {
      Bool: { "aws:MultiFactorAuthPresent": "true" },
    };
    if (props.maxMfaAge !== undefined) {
      conditions.NumericLessThan = { "aws:MultiFactorAuthAge": String(props.maxMfaAge.toSeconds()) };
    }
    const trust = new iam.CompositePrincipal(...principals).withConditions(conditions);

    const documents = props.documents ?? ["shell"];
    this.role = new iam.Role(this, "Role", {
      assumedBy: trust,
      ...(props.roleName === undefined ? {} : { roleName: props.roleName }),
      description:
        props.description ??
        `Session Manager access to project "${props.project}" as OS user ${props.runAs} (documents: ${documents.map(sessionDocumentName).join(", ")})`,
      ...(props.maxSessionDuration === undefined ? {} : { maxSessionDuration: props.maxSessionDuration }),
      inlinePolicies: { SessionAccess: sessionAccessPolicy(this, documents) },
    });
    Tags.of(this.role).add(PROJECT_TAG, props.project);
    Tags.of(this.role).add(RUN_AS_TAG, props.runAs);

    // A separate policy resource, not the inline one: a key policy that names this role would otherwise make
    // the role and the key depend on each other.
    if (props.sessionKey !== undefined) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: "EncryptSessionData",
          actions: ["kms:GenerateDataKey"],
          resources: [props.sessionKey.keyArn],
        }),
      );
    }
  }

  get roleArn(): string {
    return this.role.roleArn;
  }
}

function checkProps(props: SessionAccessRoleProps): void {
  if (!TAG_VALUE.test(props.project)) {
    throw new ConstructPropsError(
      `Project "${props.project}" cannot be a tag value.`,
      "Use 1 to 256 letters, digits, spaces and _ . : / = + - @.",
    );
  }
  if (!OS_USER.test(props.runAs) || props.runAs === "root") {
    throw new ConstructPropsError(
      `runAs "${props.runAs}" is not an OS user Session Manager can run as.`,
      "Give an existing non-root user name such as os-user1 (Session Manager never runs as root).",
    );
  }
  const count =
    (props.trustedUsers?.length ?? 0) +
    (props.trustedUserNames?.length ?? 0) +
    (props.trustedUserArns?.length ?? 0) +
    (props.trustedAccounts?.length ?? 0);
  if (count === 0) {
    throw new ConstructPropsError(
      `The role for project "${props.project}" trusts nobody.`,
      "Give trustedUsers, trustedUserNames, trustedUserArns or trustedAccounts.",
    );
  }
  if (props.documents !== undefined && props.documents.length === 0) {
    throw new ConstructPropsError(
      `The role for project "${props.project}" is given no session documents.`,
      'Leave documents out for the shell only, or list at least one (e.g. ["shell", "port-forwarding"]).',
    );
  }
}

/** The role's permissions; every condition reads the role's own tags through ${aws:PrincipalTag/…}. */
function sessionAccessPolicy(scope: Construct, documents: readonly SessionDocument[]): iam.PolicyDocument {
  const stack = Stack.of(scope);
  const arn = (service: string, resource: string, resourceName: string) =>
    stack.formatArn({ service, resource, resourceName });
  const sameProject = (key: string) => ({ StringEquals: { [key]: "${aws:PrincipalTag/Project}" } });
  // With this key on every StartSession allow, a session without an explicitly allowed document is refused
  // (otherwise omitting --document-name gets the full shell whatever the document statements say).
  const documentCheck = { BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } };

  return new iam.PolicyDocument({
    statements: [
      // StringEquals, not StringLike: a principal tag holding * or ? must not become a wildcard.
      new iam.PolicyStatement({
        sid: "StartSessionOnProjectInstances",
        actions: ["ssm:StartSession"],
        resources: [arn("ec2", "instance", "*")],
        conditions: { ...sameProject("aws:ResourceTag/Project"), ...documentCheck },
      }),
      new iam.PolicyStatement({
        sid: "StartSessionOnProjectManagedNodes",
        actions: ["ssm:StartSession"],
        resources: [arn("ssm", "managed-instance", "*")],
        conditions: { ...sameProject("ssm:resourceTag/Project"), ...documentCheck },
      }),
      // Documents carry no Project tag, so they get their own statement: exactly the listed ones.
      new iam.PolicyStatement({
        sid: "StartSessionWithGivenDocuments",
        actions: ["ssm:StartSession"],
        resources: documents.map((document) => sessionDocumentArn(scope, document)),
        conditions: documentCheck,
      }),
      // Session Manager tags each session with its owner's aws:userid (AROA…:session-name for a role).
      // A session/${aws:username}-* resource never matches for a role: aws:username is absent there.
      new iam.PolicyStatement({
        sid: "ResumeAndTerminateOwnSessions",
        actions: ["ssm:ResumeSession", "ssm:TerminateSession"],
        resources: [arn("ssm", "session", "*")],
        conditions: { StringEquals: { "ssm:resourceTag/aws:ssmmessages:session-id": "${aws:userid}" } },
      }),
      new iam.PolicyStatement({
        sid: "StartStopProjectInstances",
        actions: ["ec2:StartInstances", "ec2:StopInstances"],
        resources: [arn("ec2", "instance", "*")],
        conditions: sameProject("aws:ResourceTag/Project"),
      }),
      new iam.PolicyStatement({
        sid: "FindTargets",
        actions: [
          "ec2:DescribeInstances",
          "ssm:DescribeInstanceInformation",
          "ssm:DescribeInstanceProperties",
          "ssm:DescribeSessions",
          "ssm:GetConnectionStatus",
        ],
        resources: ["*"],
      }),
    ],
  });
}
