// Resolves the users' access keys and virtual MFA devices: generated ids and secrets where the file gives
// none, and each key id and device serial owned by one user of the world only.

import { accessKeyIdFor, mfaSerialFor, secretAccessKeyFor } from "../ids.js";
import type { AccessKey, VirtualMfaDevice } from "../model.js";
import { DEFAULT_CREATED, MFA_SERIAL_PATTERN, type WorldFile } from "../schema.js";
import { FirstClaims } from "./first-claims.js";
import type { IssueList, Path } from "./issue-list.js";

type UserInput = WorldFile["users"][number];

export class UserCredentials {
  private readonly keyOwners = new FirstClaims<string>();
  private readonly deviceOwners = new FirstClaims<string>();

  constructor(private readonly issues: IssueList) {}

  accessKeys(user: UserInput, index: number): AccessKey[] {
    return user.accessKeys.map((key, keyIndex) => {
      const id = key.id ?? accessKeyIdFor(user.account, user.name, keyIndex);
      const owner = this.keyOwners.claim(id, `users[${index}] ${user.name}`);
      if (owner !== undefined) {
        this.issues.add(
          ["users", index, "accessKeys", keyIndex, "id"],
          `duplicate access key id ${id} (also ${owner})`,
        );
      }
      return {
        id,
        secret: key.secret ?? secretAccessKeyFor(user.account, user.name, keyIndex),
        status: key.status,
        created: key.created ?? user.created ?? DEFAULT_CREATED,
      };
    });
  }

  mfaDevices(user: UserInput, index: number): VirtualMfaDevice[] {
    return user.mfaDevices.map((device, deviceIndex) => {
      const devicePath: Path = ["users", index, "mfaDevices", deviceIndex];
      let serial = device.serial ?? mfaSerialFor(user.account, device.name ?? "");
      const serialAccount = MFA_SERIAL_PATTERN.exec(serial)?.[1];
      if (device.serial !== undefined && serialAccount !== user.account) {
        this.issues.add(
          [...devicePath, "serial"],
          `the device's account ${serialAccount} differs from the user's account ${user.account}; a user's MFA device lives in the user's account`,
        );
        serial = device.serial;
      }
      const owner = this.deviceOwners.claim(serial, `users[${index}] ${user.name}`);
      if (owner !== undefined) this.issues.add(devicePath, `duplicate MFA device ${serial} (also ${owner})`);
      // Stored canonical: upper case, no padding, as AWS's Base32StringSeed.
      return { serial, secret: device.secret.toUpperCase().replace(/=+$/, "") };
    });
  }
}
