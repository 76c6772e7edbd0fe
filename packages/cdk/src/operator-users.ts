// IAM users for operators, each in an MFA-enforcing group, with no console password in the template.

import { Tags } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { ConstructPropsError } from "./construct-error.js";
import { MfaEnforcedGroup } from "./mfa-enforced-group.js";

export interface OperatorUser {
  readonly userName: string;
  /** Tagged as `Email` so a person can be found from the user. */
  readonly email?: string;
  /** IAM path, default "/". */
  readonly path?: string;
}

export interface OperatorUsersProps {
  /** The group every user joins: an MfaEnforcedGroup or any IAM group. */
  readonly group: MfaEnforcedGroup | iam.IGroup;
  readonly users: readonly OperatorUser[];
}

export const EMAIL_TAG = "Email";

// IAM user names, and the characters IAM allows in tag values (an address outside them cannot be tagged).
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const EMAIL = /^[\w.+=:/@-]+@[\w-]+(\.[\w-]+)+$/;

/**
 * Console passwords are left out on purpose: a password in the template would sit in CloudFormation's
 * history. An administrator sets a first password (with reset required) after deployment.
 */
export class OperatorUsers extends Construct {
  /** The users by user name, in the order given. */
  readonly users: ReadonlyMap<string, iam.User>;

  constructor(scope: Construct, id: string, props: OperatorUsersProps) {
    super(scope, id);
    const group = props.group instanceof MfaEnforcedGroup ? props.group.group : props.group;
    const users = new Map<string, iam.User>();
    for (const operator of props.users) {
      if (!USER_NAME.test(operator.userName)) {
        throw new ConstructPropsError(
          `"${operator.userName}" is not a valid IAM user name.`,
          "Use 1 to 64 letters, digits and + = , . @ _ -.",
        );
      }
      if (users.has(operator.userName.toLowerCase())) {
        throw new ConstructPropsError(
          `User "${operator.userName}" is listed twice.`,
          "IAM user names are unique regardless of case; list each user once.",
        );
      }
      if (operator.email !== undefined && !EMAIL.test(operator.email)) {
        throw new ConstructPropsError(
          `The e-mail address of "${operator.userName}" is not one IAM can hold in a tag.`,
          "Give an address like name@example.com (letters, digits and . + = : / @ _ - only).",
        );
      }
      const user = new iam.User(this, operator.userName, {
        userName: operator.userName,
        groups: [group],
        ...(operator.path === undefined ? {} : { path: operator.path }),
      });
      if (operator.email !== undefined) Tags.of(user).add(EMAIL_TAG, operator.email);
      users.set(operator.userName.toLowerCase(), user);
    }
    this.users = new Map([...users.values()].map((user, index) => [props.users[index]!.userName, user]));
  }

  /** The user created for this name; throws for a name not in the props. */
  user(userName: string): iam.User {
    const user = this.users.get(userName);
    if (user === undefined) {
      throw new ConstructPropsError(
        `OperatorUsers has no user "${userName}".`,
        `Known users: ${[...this.users.keys()].join(", ") || "none"}.`,
      );
    }
    return user;
  }
}
