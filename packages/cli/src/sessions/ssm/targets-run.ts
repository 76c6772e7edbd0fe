// `tobira targets`: the instances and managed nodes a profile can see, as a table or JSON.
import { type OutputStreams, outputStreams } from "./output-streams.js";
import { chosenProfile, openProfileAccess, type ProfileAccessOptions } from "./profile-access.js";
import { parseTargetQuery } from "./target-query.js";
import { findTargets } from "./targets.js";
import { targetsJson, targetsTable } from "./targets-table.js";

export interface TargetsRunOptions extends OutputStreams {
  profile?: string;
  filter?: string;
  json?: boolean;
  access?: ProfileAccessOptions;
}

export async function runTargets(options: TargetsRunOptions): Promise<number> {
  const { stdout, stderr } = outputStreams(options);
  const access = await openProfileAccess(chosenProfile(options.profile), options.access ?? {});
  try {
    const lookup = await findTargets(
      access,
      options.filter === undefined ? undefined : parseTargetQuery(options.filter),
    );
    stdout.write(options.json ? targetsJson(lookup.targets) : targetsTable(lookup.targets));
    if (!lookup.ssmKnown && !options.json)
      stderr.write(
        `tobira: profile '${access.profile}' may not call ssm:DescribeInstanceInformation: ping status unknown\n`,
      );
    return 0;
  } finally {
    access.close();
  }
}
