// Private addresses of the world's instances: the file's own, or handed out as 10.0.1.10, .11, … skipping the
// addresses the file gives explicitly; one instance per address in an account and Region.

import type { WorldFile } from "../schema.js";
import { FirstClaims } from "./first-claims.js";
import type { IssueList } from "./issue-list.js";

type InstanceInput = WorldFile["instances"][number];

export class PrivateIps {
  private readonly used: Set<string>;
  private readonly owners = new FirstClaims<number>();
  private nextHost = 10;

  constructor(
    file: WorldFile,
    private readonly issues: IssueList,
  ) {
    this.used = new Set(
      file.instances.flatMap((instance) =>
        instance.privateIp === undefined
          ? []
          : [`${instance.account}/${instance.region ?? file.region}/${instance.privateIp}`],
      ),
    );
  }

  /** The instance's address (its own or the next free one), reported when another instance has it already. */
  assign(instance: InstanceInput, index: number, region: string): string {
    let privateIp = instance.privateIp;
    if (privateIp === undefined) {
      while (this.used.has(`${instance.account}/${region}/10.0.1.${this.nextHost}`)) this.nextHost++;
      privateIp = `10.0.1.${this.nextHost++}`;
      this.used.add(`${instance.account}/${region}/${privateIp}`);
    }
    const owner = this.owners.claim(`${instance.account}/${region}/${privateIp}`, index);
    if (owner !== undefined) {
      this.issues.add(
        ["instances", index, "privateIp"],
        `${privateIp} is already instances[${owner}]'s address in ${instance.account}/${region}`,
      );
    }
    return privateIp;
  }
}
