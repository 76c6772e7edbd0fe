#!/usr/bin/env node
// A user's program: an AWS SDK v3 STS client with the default credential chain and nothing configured in code,
// so it reads AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, AWS_REGION and
// AWS_ENDPOINT_URL as any program would. Prints GetCallerIdentity and the token file path it was given.
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

const sts = new STSClient({});
const identity = await sts.send(new GetCallerIdentityCommand({}));
process.stdout.write(
  `${JSON.stringify({ Arn: identity.Arn, Account: identity.Account, tokenFile: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE })}\n`,
);
