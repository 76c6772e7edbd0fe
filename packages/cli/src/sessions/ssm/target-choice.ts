// From TARGET as typed to the one target a session opens on: look it up, let the user choose when several
// match (on a terminal), and refuse stopped or offline targets with what to do about it.
import { openTerminal } from "../../terminal/index.js";
import type { ProfileAccess } from "./profile-access.js";
import { AmbiguousTargetError, TargetNotFoundError, TargetUnavailableError } from "./session-errors.js";
import { describeTargetQuery, parseTargetQuery } from "./target-query.js";
import { findTargets, type Target } from "./targets.js";

export interface TargetChoiceOptions {
  /** Ask on the terminal when several match; default: stdin and stderr are both terminals. */
  interactive?: boolean;
  /** Picks one of several (tests); default: a numbered question on /dev/tty. */
  choose?: (candidates: Target[]) => Promise<Target>;
}

export async function resolveTarget(
  access: ProfileAccess,
  text: string,
  options: TargetChoiceOptions = {},
): Promise<Target> {
  const query = parseTargetQuery(text);
  const { targets, ssmKnown } = await findTargets(access, query);
  if (targets.length === 0) {
    throw new TargetNotFoundError(
      `no instance or managed node matches ${describeTargetQuery(query)} in ${access.region} (profile '${access.profile}')`,
      {
        hint: `\`tobira targets --profile ${access.profile}\` lists the targets this profile can see; a TARGET is an instance id, mi-… id, Name tag, tag:KEY=VALUE, private IP or private DNS name`,
      },
    );
  }
  let target: Target;
  if (targets.length === 1) {
    target = targets[0]!;
  } else {
    const interactive =
      options.interactive ?? (process.stdin.isTTY === true && process.stderr.isTTY === true);
    if (!interactive) {
      throw new AmbiguousTargetError(
        `${targets.length} targets match ${describeTargetQuery(query)}:\n${targets.map((t) => `    ${candidateLine(t)}`).join("\n")}`,
        { hint: "name one by its instance id (or a more specific tag:KEY=VALUE)" },
      );
    }
    target = await (options.choose ?? chooseOnTerminal)(targets);
  }
  assertAvailable(target, access.profile, ssmKnown);
  return target;
}

/** One line per candidate: id, name, state, ping status. */
export function candidateLine(target: Target): string {
  const state = [target.state, target.pingStatus].filter(Boolean).join(", ");
  return `${target.id}  ${target.name || "(no name)"}${state ? `  (${state})` : ""}`;
}

async function chooseOnTerminal(candidates: Target[]): Promise<Target> {
  const terminal = openTerminal();
  if (!terminal) {
    throw new AmbiguousTargetError(
      `${candidates.length} targets match and there is no terminal to choose on`,
      {
        hint: "name one by its instance id",
      },
    );
  }
  try {
    terminal.write(
      `Several targets match:\n${candidates.map((t, i) => `  ${i + 1}) ${candidateLine(t)}\n`).join("")}`,
    );
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = (
        await terminal.ask(`Which one? [1-${candidates.length}]: `, { what: "the target" })
      ).trim();
      const index = Number.parseInt(answer, 10);
      const chosen = /^\d+$/.test(answer) ? candidates[index - 1] : candidates.find((t) => t.id === answer);
      if (chosen) return chosen;
      terminal.write(`'${answer}' is not one of 1-${candidates.length}.\n`);
    }
  } finally {
    terminal.close();
  }
  throw new AmbiguousTargetError("no target was chosen", { hint: "name one by its instance id" });
}

/** Stopped, starting or offline targets get a clear message instead of StartSession's TargetNotConnected. */
export function assertAvailable(target: Target, profile: string, ssmKnown: boolean): void {
  const label = target.name ? `${target.name} (${target.id})` : target.id;
  if (target.state === "stopped" || target.state === "stopping") {
    throw new TargetUnavailableError(
      `${label} is ${target.state}: a stopped instance is offline for Session Manager`,
      {
        hint: `start it: \`tobira exec ${profile} -- aws ec2 start-instances --instance-ids ${target.id}\` (then wait until \`tobira targets --profile ${profile}\` shows it Online)`,
      },
    );
  }
  if (target.state === "pending") {
    throw new TargetUnavailableError(`${label} is still starting`, {
      hint: `wait until \`tobira targets --profile ${profile}\` shows it running and Online`,
    });
  }
  if (!ssmKnown) return; // we could not ask SSM: let StartSession decide
  if (target.pingStatus === "") {
    throw new TargetUnavailableError(
      `${label} is not a managed node: Systems Manager does not know its agent`,
      {
        hint: "give the instance an instance profile with AmazonSSMManagedInstanceCore and make sure the SSM agent runs and can reach the SSM endpoints",
      },
    );
  }
  if (target.pingStatus !== "Online") {
    throw new TargetUnavailableError(`${label}'s SSM agent is ${target.pingStatus}, not Online`, {
      hint:
        target.kind === "managed"
          ? "start the agent on that machine (`sudo systemctl start amazon-ssm-agent`) and check its activation"
          : `check that the instance is healthy and its SSM agent runs; \`tobira targets --profile ${profile}\` shows the ping status`,
    });
  }
}
