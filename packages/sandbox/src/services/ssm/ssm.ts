// The SSM service's Session Manager control plane (JSON 1.1, `AmazonSSM.*`).

import type { JsonServiceDefinition } from "../../server/service-registry.js";
import { hybridActions } from "../hybrid/hybrid.js";
import { describeSessions } from "./describe-sessions.js";
import { describeDocument, getDocument } from "./document-api.js";
import { describeInstanceInformation, getConnectionStatus } from "./instance-information.js";
import { resumeSession, startSession, terminateSession } from "./session-lifecycle.js";

export const ssmService: JsonServiceDefinition = {
  signingName: "ssm",
  protocol: "json",
  targetPrefix: "AmazonSSM",
  actions: {
    StartSession: startSession,
    ResumeSession: resumeSession,
    TerminateSession: terminateSession,
    DescribeSessions: describeSessions,
    DescribeInstanceInformation: describeInstanceInformation,
    GetConnectionStatus: getConnectionStatus,
    GetDocument: getDocument,
    DescribeDocument: describeDocument,
    ...hybridActions,
  },
};
