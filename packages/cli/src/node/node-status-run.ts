// `tobira node status [--json]`: the node's id and Region, its role (GetCallerIdentity with the agent's
// credentials), when the credentials expire and were last refreshed, and the hardware fingerprint's
// similarity against the threshold with a warning well before the agent would hibernate, naming what changed.

import { existsSync, readFileSync } from "node:fs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { TobiraError } from "../errors.js";
import { hardwareHash } from "../node-agent/hardware.js";
import { renderFields } from "../output/fields.js";
import { writeJson } from "../output/json.js";
import { type NodeFileOptions, nodeFiles } from "./agent-files.js";
import { readNodeCredentials } from "./credentials-reader.js";
import { hibernationRisk } from "./hibernation-risk.js";
import { currentHardware } from "./probe-machine.js";

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** The endpoint the agent talks to: --endpoint-url, else a simulated node's amazon-ssm-agent.json. */
function endpointOf(agentDir: string, option: string | undefined): string | undefined {
  if (option) return option;
  return (
    readJson<{ Ssm?: { Endpoint?: string } }>(`${agentDir}/amazon-ssm-agent.json`)?.Ssm?.Endpoint || undefined
  );
}

async function roleOf(files: ReturnType<typeof nodeFiles>, region: string, endpoint: string | undefined) {
  try {
    const credentials = await readNodeCredentials(files);
    const keys = {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    };
    const sts = new STSClient({
      region,
      credentials: keys,
      maxAttempts: 2,
      ...(endpoint ? { endpoint } : {}),
    });
    const arn = (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? "";
    return { arn, credentials, problem: undefined };
  } catch (error) {
    return { arn: undefined, credentials: undefined, problem: (error as Error).message };
  }
}

export async function nodeStatus(options: NodeFileOptions & { endpointUrl?: string }) {
  const files = nodeFiles(options);
  const registration = readJson<{ ManagedInstanceID?: string; Region?: string }>(files.registration);
  if (!registration?.ManagedInstanceID) {
    throw new TobiraError(`no registration in ${files.agentDir}`, {
      hint: existsSync(files.agentDir)
        ? "is this the agent's folder? (run as root: it is 0600)"
        : "pass --agent-dir, or register the agent",
    });
  }
  const region = registration.Region ?? "";
  const role = await roleOf(files, region, endpointOf(files.agentDir, options.endpointUrl));
  const print = readJson<{ hardwareHash: Record<string, string>; similarityThreshold: number }>(
    files.instanceFingerprint,
  );
  const { hardware, simulated } = currentHardware(files.simulatedHardware);
  const risk = print
    ? hibernationRisk(print.hardwareHash, hardwareHash(hardware), print.similarityThreshold)
    : undefined;
  const agent = readJson<{ state?: string; reason?: string }>(`${files.agentDir}/agent-status.json`);
  return {
    nodeId: registration.ManagedInstanceID,
    region,
    roleArn: role.arn ?? null,
    credentialsExpireAt: role.credentials?.expiration ?? null,
    lastRefreshAt: role.credentials?.retrievedAt ?? null,
    credentialsProblem: role.problem ?? null,
    credentialsFile: files.credentials,
    agentState: agent?.state ?? null,
    hardware: simulated ? "simulated" : "this machine",
    similarity: risk
      ? {
          percent: risk.similarity.percent,
          threshold: risk.similarity.threshold,
          percentIfIpChanges: risk.percentIfIpChanges,
          changed: risk.similarity.changed,
          level: risk.level,
        }
      : null,
    warning: risk?.warning ?? null,
  };
}

export async function runNodeStatus(
  options: NodeFileOptions & { endpointUrl?: string; json?: boolean },
): Promise<void> {
  const report = await nodeStatus(options);
  if (options.json) return writeJson(report);
  const s = report.similarity;
  process.stdout.write(
    `${renderFields([
      ["node", report.nodeId],
      ["region", report.region],
      ["role", report.roleArn ?? `unknown (${report.credentialsProblem})`],
      ["credentials expire", report.credentialsExpireAt ?? undefined],
      ["last refresh", report.lastRefreshAt ?? undefined],
      ["agent", report.agentState ?? undefined],
      [
        "fingerprint",
        s
          ? `${s.percent}% similar (threshold ${s.threshold}%; ${s.percentIfIpChanges}% if the IP changes), ${report.hardware}`
          : "no fingerprint in the vault",
      ],
      ["changed", s && s.changed.length > 0 ? s.changed.join(", ") : undefined],
    ])}\n${report.warning ? `warning: ${report.warning}\n` : ""}`,
  );
}
