// The article's stack rebuilt with @tobira/cdk: two projects' operators in an MFA-enforcing group, one
// session role per project and OS user, encrypted sessions with Run As, and tagged instances of both projects.
//
// Offline by design: a fixed account and region, no lookups, no assets to upload.

import { App, Duration, Stack, type StackProps, Tags } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
// The package's source, not its build ("@tobira/cdk", which an app of your own imports): the CLI (cdk.json),
// the demo and the tests run the example through tsx, with nothing to build first.
import {
  MfaEnforcedGroup,
  OperatorUsers,
  PROJECT_TAG,
  SessionAccessRole,
  SessionKey,
  SessionPreferences,
} from "../../packages/cdk/src/index.js";

export const ARTICLE_ACCOUNT = "111111111111";
export const ARTICLE_REGION = "ap-northeast-1";
export const ARTICLE_STACK_NAME = "OperationUsersStack";

export const PROJECT_1 = "Test Project 1";
export const PROJECT_2 = "Test Project 2";

/** Someone in another account who may also use the shared project-2 role. */
export const EXTERNAL_OPERATOR_ARN = "arn:aws:iam::222222222222:user/operator3";

export class ArticleStack extends Stack {
  readonly operators: OperatorUsers;
  readonly roles: Record<"project1" | "project2" | "project2Shared", SessionAccessRole>;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    const group = new MfaEnforcedGroup(this, "Operators", { groupName: "operators" });
    this.operators = new OperatorUsers(this, "Users", {
      group,
      users: [{ userName: "operator1", email: "operator1@example.com" }, { userName: "operator2" }],
    });
    const operator1 = this.operators.user("operator1");
    const operator2 = this.operators.user("operator2");

    this.roles = {
      project1: new SessionAccessRole(this, "Project1OsUser1", {
        project: PROJECT_1,
        runAs: "os-user1",
        trustedUsers: [operator1],
        documents: ["shell", "port-forwarding"],
      }),
      project2: new SessionAccessRole(this, "Project2OsUser2", {
        project: PROJECT_2,
        runAs: "os-user2",
        trustedUsers: [operator2],
      }),
      project2Shared: new SessionAccessRole(this, "Project2OsUser3", {
        roleName: "project2-ope-role",
        project: PROJECT_2,
        runAs: "os-user3",
        trustedUsers: [operator1],
        trustedUserArns: [EXTERNAL_OPERATOR_ARN],
        maxSessionDuration: Duration.hours(2),
      }),
    };
    const sessionRoles = Object.values(this.roles).map((access) => access.role);
    group.allowAssumeRoles(...sessionRoles.map((role) => role.roleArn));

    // What the instances' SSM agent runs as.
    const instanceRole = new iam.Role(this, "InstanceRole", {
      assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")],
    });
    const instanceProfile = new iam.CfnInstanceProfile(this, "InstanceProfile", {
      roles: [instanceRole.roleName],
    });

    const key = new SessionKey(this, "SessionKey", { sessionRoles, nodeRoles: [instanceRole] });
    new SessionPreferences(this, "Preferences", {
      kmsKey: key.key,
      runAsDefaultUser: "os-default",
      idleSessionTimeout: Duration.minutes(20),
      maxSessionDuration: Duration.minutes(120),
      shellProfile: { linux: "/bin/bash\ncd /home/$(whoami)" },
    });

    const instance = (id: string, name: string, project: string | undefined, privateIp: string) => {
      const created = new ec2.CfnInstance(this, id, {
        imageId: ec2.MachineImage.latestAmazonLinux2023().getImage(this).imageId,
        instanceType: "t3.micro",
        iamInstanceProfile: instanceProfile.ref,
        privateIpAddress: privateIp,
      });
      Tags.of(created).add("Name", name);
      if (project !== undefined) Tags.of(created).add(PROJECT_TAG, project);
      return created;
    };
    instance("Project1Web", "project1-web", PROJECT_1, "10.0.1.11");
    instance("Project2Web", "project2-web", PROJECT_2, "10.0.1.12");
    instance("SharedTools", "shared-tools", undefined, "10.0.1.13");
  }
}

/**
 * The example app; `outdir` is where `app.synth()` writes OperationUsersStack.template.json. Left out, App
 * takes CDK_OUTDIR (set by the cdk CLI to its --output folder).
 */
export function articleApp(outdir?: string): { app: App; stack: ArticleStack } {
  // No AWS::CDK::Metadata resource: it carries nothing the stack needs and would differ between CDK versions.
  const app = new App({ analyticsReporting: false, ...(outdir === undefined ? {} : { outdir }) });
  const stack = new ArticleStack(app, ARTICLE_STACK_NAME, {
    env: { account: ARTICLE_ACCOUNT, region: ARTICLE_REGION },
  });
  return { app, stack };
}
