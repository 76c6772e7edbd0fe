// Reads the world a sandbox serves (<state>/world.json) for reports: counts, and names to show in examples.
import { readJsonFile } from "../files/read-json.js";
import type { World } from "./sandbox-library.js";

export interface WorldSummary {
  accounts: number;
  users: number;
  groups: number;
  roles: number;
  instances: number;
  /** An IAM user's name, to show in usage examples (the config file has a profile by that name). */
  exampleUser: string | undefined;
  /** A virtual MFA device's serial, to show in the `mfa-code` example. */
  exampleMfaSerial: string | undefined;
}

/** The world as the sandbox wrote it, or undefined when the folder holds none (never started there). */
export function readServedWorld(worldPath: string): World | undefined {
  return readJsonFile(worldPath) as World | undefined;
}

export function summarizeWorld(world: World): WorldSummary {
  const users = world.users ?? [];
  const withMfa = users.find((user) => (user.mfaDevices ?? []).length > 0);
  return {
    accounts: (world.accounts ?? []).length,
    users: users.length,
    groups: (world.groups ?? []).length,
    roles: (world.roles ?? []).length,
    instances: (world.instances ?? []).length,
    exampleUser: withMfa?.name ?? users[0]?.name,
    exampleMfaSerial: withMfa?.mfaDevices[0]?.serial,
  };
}

/** "2 accounts, 3 users, 1 group, 5 roles, 3 instances" */
export function describeCounts(summary: WorldSummary): string {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  return [
    count(summary.accounts, "account"),
    count(summary.users, "user"),
    count(summary.groups, "group"),
    count(summary.roles, "role"),
    count(summary.instances, "instance"),
  ].join(", ");
}
