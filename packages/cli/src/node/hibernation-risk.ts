// How close the machine is to the agent's hibernation, before it happens: the similarity now, what it would
// be if the IP address changed too (the "same IP" rule then stops saving it), and how many more changed
// attributes the threshold still allows. The agent itself says nothing until it has already hibernated.

import { type Similarity, similarity } from "../node-agent/hardware.js";

export interface HibernationRisk {
  similarity: Similarity;
  /** The ratio if the IP changed as well (DHCP, a move). */
  percentIfIpChanges: number;
  /** More attributes that may change (with a new IP) before the ratio drops below the threshold. */
  changesLeft: number;
  level: "ok" | "warning" | "hibernating";
  warning?: string | undefined;
}

export function hibernationRisk(
  saved: Record<string, string>,
  current: Record<string, string>,
  threshold: number,
): HibernationRisk {
  const verdict = similarity(saved, current, threshold);
  const keys = Object.keys(current).length;
  const changedWithIp = new Set([...verdict.changed, "ipaddress-info"]).size;
  const percentIfIpChanges = keys === 0 ? 0 : Math.floor(((keys - changedWithIp) / keys) * 100);
  let changesLeft = 0;
  while (
    keys - changedWithIp - (changesLeft + 1) >= 0 &&
    Math.floor(((keys - changedWithIp - (changesLeft + 1)) / keys) * 100) >= threshold
  ) {
    changesLeft++;
  }
  const changed = verdict.changed.length > 0 ? ` (changed: ${verdict.changed.join(", ")})` : "";
  const base = { similarity: verdict, percentIfIpChanges, changesLeft };
  if (verdict.rule === "disabled") return { ...base, level: "ok" };
  if (!verdict.same) {
    return {
      ...base,
      level: "hibernating",
      warning: `the agent will see another machine (${verdict.rule === "machine-id" ? "machine-id changed" : `similarity ${verdict.percent}% < ${threshold}%`})${changed}: it hibernates; re-register with a valid activation`,
    };
  }
  if (percentIfIpChanges < threshold) {
    return {
      ...base,
      level: "warning",
      warning: `only the unchanged IP address keeps this the same machine: with a new IP the similarity would be ${percentIfIpChanges}% < ${threshold}% and the agent hibernates${changed}`,
    };
  }
  if (changesLeft <= 1) {
    return {
      ...base,
      level: "warning",
      warning: `${changesLeft === 0 ? "no" : "one"} more changed attribute (with a new IP) and the agent hibernates: similarity ${percentIfIpChanges}% vs threshold ${threshold}%${changed}`,
    };
  }
  return { ...base, level: "ok" };
}
