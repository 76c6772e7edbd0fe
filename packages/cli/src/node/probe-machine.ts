// The machine's hardware as the agent hashes it on Linux (facts A.5), read from this server: machine-id,
// hostname, first non-loopback IPv4, first MAC, and the text of `dmidecode -t processor|memory|bios|system`
// and `ls -l /dev/disk/by-uuid`. A simulated node's folder holds hardware.json instead, which wins.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import type { SimulatedHardware } from "../node-agent/hardware.js";

function firstFile(paths: string[]): string {
  for (const path of paths) {
    try {
      return readFileSync(path, "utf8").trim();
    } catch {}
  }
  return "";
}

function output(file: string, args: string[]): string {
  if (!existsSync(file)) return "";
  try {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 });
  } catch {
    return "";
  }
}

function firstAddresses(): { ip: string; mac: string } {
  let ip = "";
  let mac = "";
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (!ip && a.family === "IPv4" && !a.internal) ip = a.address;
      if (!mac && a.mac && a.mac !== "00:00:00:00:00:00") mac = a.mac;
    }
  }
  return { ip, mac };
}

export function probeMachine(): SimulatedHardware {
  const { ip, mac } = firstAddresses();
  const dmi = (type: string) => output("/usr/sbin/dmidecode", ["-t", type]);
  return {
    machineId: firstFile(["/etc/machine-id", "/var/lib/dbus/machine-id"]),
    hostname: hostname(),
    ipAddress: ip,
    macAddress: mac,
    processor: dmi("processor"),
    memory: dmi("memory"),
    bios: dmi("bios"),
    system: dmi("system"),
    disks: output("/bin/ls", ["-l", "/dev/disk/by-uuid"]),
  };
}

/** The simulated machine when the node folder has one, else this server's. */
export function currentHardware(simulatedFile: string): { hardware: SimulatedHardware; simulated: boolean } {
  if (existsSync(simulatedFile)) {
    return {
      hardware: JSON.parse(readFileSync(simulatedFile, "utf8")) as SimulatedHardware,
      simulated: true,
    };
  }
  return { hardware: probeMachine(), simulated: false };
}
