// The simulated machine and its hardware hash, as the agent computes it on Linux (facts A.5): nine
// attributes (machine-id, hostname, first IPv4, first MAC raw; base64 MD5 of dmidecode's processor, memory,
// bios and system output and of `ls -l /dev/disk/by-uuid`), and the similarity check in the agent's order.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { hostname } from "node:os";

/** What the simulated machine reports for each source the agent reads (hardware.json). */
export interface SimulatedHardware {
  machineId: string;
  hostname: string;
  ipAddress: string;
  macAddress: string;
  /** Stand-ins for the text dmidecode and `ls -l /dev/disk/by-uuid` would print. */
  processor: string;
  memory: string;
  bios: string;
  system: string;
  disks: string;
}

export const DEFAULT_THRESHOLD = 40;

/** The parts `tobira sandbox node hardware --change` can swap, each an attribute of the hash. */
export const CHANGEABLE = [
  "machine-id",
  "hostname",
  "ip",
  "mac",
  "processor",
  "memory",
  "bios",
  "system",
  "disks",
] as const;
export type ChangeablePart = (typeof CHANGEABLE)[number];

export function newSimulatedHardware(): SimulatedHardware {
  const mac = [...randomBytes(6)].map((b, i) =>
    (i === 0 ? (b & 0xfe) | 0x02 : b).toString(16).padStart(2, "0"),
  );
  return {
    machineId: randomBytes(16).toString("hex"),
    hostname: `${hostname().split(".")[0] || "onprem"}-sim`,
    ipAddress: `192.168.10.${10 + (randomBytes(1)[0]! % 200)}`,
    macAddress: mac.join(":"),
    processor: "Intel(R) Xeon(R) CPU E5-2676 v3 @ 2.40GHz, 4 cores",
    memory: "2 x 8192 MB DDR4 2400 MT/s",
    bios: "SeaBIOS 1.16.0 2024-01-01",
    system: `QEMU Standard PC (Q35 + ICH9, 2009) serial ${randomUUID()}`,
    disks: `lrwxrwxrwx 1 root root 10 Jan  1 00:00 ${randomUUID()} -> ../../vda1`,
  };
}

/** Changes one part as a hardware swap would (a new value of the same kind). */
export function changePart(hw: SimulatedHardware, part: ChangeablePart): SimulatedHardware {
  const fresh = newSimulatedHardware();
  const next = { ...hw };
  switch (part) {
    case "machine-id":
      next.machineId = fresh.machineId;
      break;
    case "hostname":
      next.hostname = `${hw.hostname}-renamed`;
      break;
    case "ip":
      next.ipAddress = fresh.ipAddress === hw.ipAddress ? "192.168.10.250" : fresh.ipAddress;
      break;
    case "mac":
      next.macAddress = fresh.macAddress;
      break;
    case "processor":
      next.processor = `${hw.processor} (replaced ${randomUUID().slice(0, 8)})`;
      break;
    case "memory":
      next.memory = `${hw.memory} + 1 x 16384 MB (${randomUUID().slice(0, 8)})`;
      break;
    case "bios":
      next.bios = `${hw.bios} (updated ${randomUUID().slice(0, 8)})`;
      break;
    case "system":
      next.system = fresh.system;
      break;
    case "disks":
      next.disks = fresh.disks;
      break;
  }
  return next;
}

const md5b64 = (text: string) => createHash("md5").update(text).digest("base64");

export function hardwareHash(hw: SimulatedHardware): Record<string, string> {
  return {
    "machine-id": hw.machineId,
    "processor-hash": md5b64(hw.processor),
    "memory-hash": md5b64(hw.memory),
    "bios-hash": md5b64(hw.bios),
    "system-hash": md5b64(hw.system),
    "hostname-info": hw.hostname,
    "ipaddress-info": hw.ipAddress,
    "macaddr-info": hw.macAddress,
    "disk-info": md5b64(hw.disks),
  };
}

export interface Similarity {
  same: boolean;
  /** Matching attributes ÷ current attributes × 100 (rounded down). */
  percent: number;
  threshold: number;
  changed: string[];
  /** Why the verdict is what it is, in the agent's order of checks. */
  rule: "disabled" | "empty" | "machine-id" | "ip-unchanged" | "ratio";
}

/** The agent's similarity check: -1 always same; empty maps differ; machine-id decides; same IP is the same machine; else the ratio. */
export function similarity(
  saved: Record<string, string>,
  current: Record<string, string>,
  threshold: number,
): Similarity {
  const keys = Object.keys(current);
  const changed = keys.filter((k) => saved[k] !== current[k]);
  const percent = keys.length === 0 ? 0 : Math.floor(((keys.length - changed.length) / keys.length) * 100);
  const base = { percent, threshold, changed };
  if (threshold === -1) return { ...base, same: true, rule: "disabled" };
  if (keys.length === 0 || Object.keys(saved).length === 0) return { ...base, same: false, rule: "empty" };
  if (saved["machine-id"] !== current["machine-id"]) return { ...base, same: false, rule: "machine-id" };
  if (saved["ipaddress-info"] === current["ipaddress-info"])
    return { ...base, same: true, rule: "ip-unchanged" };
  return { ...base, same: percent >= threshold, rule: "ratio" };
}
