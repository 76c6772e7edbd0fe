// The KMS key Session Manager encrypts session data with: operators' roles may generate data keys, the
// instances' roles may decrypt, and the account keeps administering the key through IAM.

import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";

export interface SessionKeyProps {
  /** Default "alias/session-manager". */
  readonly alias?: string;
  readonly description?: string;
  /** Roles operators start sessions with (they need kms:GenerateDataKey). */
  readonly sessionRoles?: readonly iam.IRole[];
  /** Roles of the instances and managed nodes (their agents need kms:Decrypt). */
  readonly nodeRoles?: readonly iam.IRole[];
  /** Default RETAIN: sessions recorded under a deleted key could not be read. */
  readonly removalPolicy?: RemovalPolicy;
}

export class SessionKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: SessionKeyProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, "Key", {
      alias: props.alias ?? "alias/session-manager",
      description: props.description ?? "Encrypts Session Manager session data between clients and nodes",
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (props.sessionRoles?.length) this.allowSessionRoles(...props.sessionRoles);
    if (props.nodeRoles?.length) this.allowNodeRoles(...props.nodeRoles);
  }

  get keyArn(): string {
    return this.key.keyArn;
  }

  /** Key policy: these roles may generate the data keys a session is encrypted with. */
  allowSessionRoles(...roles: iam.IRole[]): void {
    this.sessionStatement ??= this.addStatement("SessionRolesGenerateDataKeys", "kms:GenerateDataKey");
    this.sessionStatement.addPrincipals(...roles.map((role) => new iam.ArnPrincipal(role.roleArn)));
  }

  /** Key policy: these instance or node roles may decrypt session data keys. */
  allowNodeRoles(...roles: iam.IRole[]): void {
    this.nodeStatement ??= this.addStatement("NodeRolesDecrypt", "kms:Decrypt");
    this.nodeStatement.addPrincipals(...roles.map((role) => new iam.ArnPrincipal(role.roleArn)));
  }

  private sessionStatement: iam.PolicyStatement | undefined;
  private nodeStatement: iam.PolicyStatement | undefined;

  private addStatement(sid: string, action: string): iam.PolicyStatement {
    const statement = new iam.PolicyStatement({ sid, actions: [action], resources: ["*"] });
    this.key.addToResourcePolicy(statement);
    return statement;
  }
}
