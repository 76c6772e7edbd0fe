// `tobira sandbox node hardware [--change PART…]`: shows the simulated machine's hardware hash, or swaps parts
// of it (a new disk, more memory, another IP), which the agent sees at its next refresh.

import { existsSync, readFileSync } from "node:fs";
import { TobiraError, UsageError } from "../../errors.js";
import { agentPaths, type FingerprintFile, writeAgentFile } from "../../node-agent/agent-folder.js";
import {
  CHANGEABLE,
  type ChangeablePart,
  changePart,
  hardwareHash,
  type SimulatedHardware,
  similarity,
} from "../../node-agent/hardware.js";
import { writeJson } from "../../output/json.js";
import { type NodeFolderOptions, nodeDirOf } from "./node-options.js";

function checkedParts(parts: string[]): ChangeablePart[] {
  const unknown = parts.filter((p) => !(CHANGEABLE as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new UsageError(`unknown hardware part ${unknown.join(", ")}`, {
      hint: `choose from: ${CHANGEABLE.join(", ")}`,
    });
  }
  return parts as ChangeablePart[];
}

export async function runNodeHardware(
  options: NodeFolderOptions & { change?: string[]; json?: boolean },
): Promise<void> {
  const paths = agentPaths(nodeDirOf(options));
  if (!existsSync(paths.hardware)) {
    throw new TobiraError(`no simulated node in ${paths.dir}`, {
      hint: "register one with `tobira sandbox node register`",
    });
  }
  let hardware = JSON.parse(readFileSync(paths.hardware, "utf8")) as SimulatedHardware;
  for (const part of checkedParts(options.change ?? [])) hardware = changePart(hardware, part);
  if ((options.change ?? []).length > 0) await writeAgentFile(paths.hardware, hardware);
  const saved = JSON.parse(readFileSync(paths.instanceFingerprint, "utf8")) as FingerprintFile;
  const verdict = similarity(saved.hardwareHash, hardwareHash(hardware), saved.similarityThreshold);
  if (options.json) return writeJson({ hardware, hardwareHash: hardwareHash(hardware), similarity: verdict });
  process.stdout.write(
    `similarity to the registered machine: ${verdict.percent}% (threshold ${verdict.threshold}%, ${verdict.same ? "same machine" : "a different machine: the agent will hibernate"})\n` +
      (verdict.changed.length > 0 ? `changed: ${verdict.changed.join(", ")}\n` : ""),
  );
}
