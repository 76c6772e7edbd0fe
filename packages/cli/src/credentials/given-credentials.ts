// Fetches the credentials of a `given` source: environment variables, a credential_process, EC2 or ECS metadata.
// These are used as they are (never traded for a session token, never cached by tobira).
import { spawn } from "node:child_process";
import { ConfigError, TobiraError } from "../errors.js";
import type { GivenOrigin } from "./chain-spec.js";
import type { AwsCredentials } from "./ports.js";

export async function fetchGivenCredentials(
  profile: string,
  origin: GivenOrigin,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AwsCredentials> {
  switch (origin.type) {
    case "environment":
      return fromEnvironment(profile, env);
    case "process":
      return fromProcess(profile, origin.command, env);
    case "rolesanywhere": {
      const { credentialsFromSettings } = await import("./rolesanywhere/cached-session.js");
      return credentialsFromSettings(profile, origin.settings, env);
    }
    case "ec2-metadata":
    case "ecs-container": {
      const providers = await import("@aws-sdk/credential-providers");
      const provider =
        origin.type === "ec2-metadata" ? providers.fromInstanceMetadata() : providers.fromContainerMetadata();
      const c = await provider();
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
        ...(c.expiration === undefined ? {} : { expiration: c.expiration.toISOString() }),
      };
    }
  }
}

function fromEnvironment(profile: string, env: NodeJS.ProcessEnv): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    const missing = [
      ...(accessKeyId ? [] : ["AWS_ACCESS_KEY_ID"]),
      ...(secretAccessKey ? [] : ["AWS_SECRET_ACCESS_KEY"]),
    ];
    throw new TobiraError(
      `profile '${profile}' takes its credentials from the environment, but ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set`,
      {
        hint: `set ${missing.join(" and ")}, or change credential_source`,
      },
    );
  }
  const token = env.AWS_SESSION_TOKEN || env.AWS_SECURITY_TOKEN;
  return {
    accessKeyId,
    secretAccessKey,
    ...(token ? { sessionToken: token } : {}),
    ...(env.AWS_CREDENTIAL_EXPIRATION ? { expiration: env.AWS_CREDENTIAL_EXPIRATION } : {}),
  };
}

/** Runs credential_process through /bin/sh as the AWS CLI does; its stdin and stderr stay the user's (prompts). */
async function fromProcess(
  profile: string,
  command: string,
  env: NodeJS.ProcessEnv,
): Promise<AwsCredentials> {
  const child = spawn("/bin/sh", ["-c", command], { stdio: ["inherit", "pipe", "inherit"], env });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  // The command itself may hold a secret: messages name the profile, never the command.
  if (status !== 0) {
    throw new ConfigError(`credential_process of profile '${profile}' exited with status ${status}`, {
      hint: "run the command by hand to see its error",
    });
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new ConfigError(`credential_process of profile '${profile}' did not print JSON`, {
      hint: 'it must print {"Version": 1, "AccessKeyId": …, "SecretAccessKey": …}',
    });
  }
  const { Version, AccessKeyId, SecretAccessKey, SessionToken, Expiration } = parsed;
  if (Version !== 1 || typeof AccessKeyId !== "string" || typeof SecretAccessKey !== "string") {
    throw new ConfigError(
      `credential_process of profile '${profile}' printed JSON without Version 1 credentials`,
      {
        hint: 'it must print {"Version": 1, "AccessKeyId": …, "SecretAccessKey": …}',
      },
    );
  }
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    ...(typeof SessionToken === "string" ? { sessionToken: SessionToken } : {}),
    ...(typeof Expiration === "string" ? { expiration: Expiration } : {}),
  };
}
