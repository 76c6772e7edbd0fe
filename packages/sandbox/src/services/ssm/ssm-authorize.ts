// Authorizes Session Manager actions and words denials as SSM does (AccessDeniedException, "User: … is not
// authorized to perform: ssm:StartSession on resource: … because no identity-based policy allows …").
// Also tells whether the grant opted into the document check (ssm:SessionDocumentAccessCheck).

import { toList } from "../../policy/action-match.js";
import type { EvaluationResult, RequestContextValues, Statement } from "../../policy/types.js";
import { AwsServiceError } from "../../protocol/errors.js";
import type { ServiceCall } from "../../server/runtime.js";
import { authorize, callerPolicies } from "../authorize.js";
import { baseRequestContext } from "../request-context.js";

export const DOCUMENT_ACCESS_CHECK_KEY = "ssm:SessionDocumentAccessCheck";

export interface SsmQuestion {
  action: string;
  resource: string;
  resourceAccount?: string;
  /** Keys beyond the global ones (resource tags, ssm:SessionDocumentAccessCheck). */
  context?: RequestContextValues;
}

export function authorizeSsm(call: ServiceCall, question: SsmQuestion): EvaluationResult {
  try {
    return authorize(call, {
      action: question.action,
      resource: question.resource,
      resourceAccount: question.resourceAccount,
      context: { ...baseRequestContext(call), ...question.context },
      withReason: true,
    });
  } catch (error) {
    if (error instanceof AwsServiceError && error.code === "AccessDenied") {
      throw new AwsServiceError("AccessDeniedException", error.message, 400);
    }
    throw error;
  }
}

function conditionNames(statement: Statement): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
}

/**
 * True when a statement that granted the request tests ssm:SessionDocumentAccessCheck: by writing it, the
 * policy asks Session Manager to check the document even when the caller named none.
 */
export function grantOptsIntoDocumentCheck(call: ServiceCall, result: EvaluationResult): boolean {
  const policies = callerPolicies(call);
  const named = [...policies.identity, ...(policies.session ?? [])];
  return (result.allowedBy ?? []).some((decided) => {
    const policy = named.find((p) => p.name === decided.policy);
    if (!policy) return false;
    const statements = toList(policy.document.Statement);
    const statement = statements.find((s, index) =>
      s.Sid ? s.Sid === decided.statement : `Statement[${index}]` === decided.statement,
    );
    return (
      statement !== undefined &&
      conditionNames(statement).some((name) => name.toLowerCase() === DOCUMENT_ACCESS_CHECK_KEY.toLowerCase())
    );
  });
}
