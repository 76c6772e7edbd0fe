// `tobira login PROFILE`: registers the command; outputs/login/ makes a console sign-in URL for the profile,
// opened in the browser or printed.
import type { Command } from "commander";
import * as profileOptions from "./profile-options.js";

interface LoginFlags extends profileOptions.CredentialFlags {
  path?: string;
  print?: boolean;
}

export function register(program: Command): void {
  const description =
    "open the AWS console signed in with a profile's credentials (or print the sign-in URL)";
  profileOptions
    .addCredentialFlags(
      profileOptions
        .profileCommand(program, "login", description)
        .option("--path <service>", "console page to open: a service (ec2, s3, iam) or a path")
        .option("--print", "print the URL on stdout instead of opening a browser"),
    )
    .addHelpText(
      "after",
      `
Examples:
  tobira login switch                     # the console as the switch role, in your browser
  tobira login project-a --path ec2       # straight to EC2
  tobira login switch --print | wl-copy   # the URL on stdout, for another browser

A role profile's credentials are used as they are (its MFA shows in CloudTrail). An IAM user profile without a
role goes through GetFederationToken, whose console session carries no MFA (tobira says so). The URL holds a
sign-in token that works once within 15 minutes: it is printed only on stdout, never logged. --duration sets the
console session for a role assumed straight from your keys, or GetFederationToken's duration for a user.`,
    )
    .action(async (profile: string, flags: LoginFlags) => {
      const { runLogin } = await import("../outputs/login/login-run.js");
      await runLogin(profile, {
        ...profileOptions.credentialOptionsFrom(flags),
        ...(flags.path === undefined ? {} : { path: flags.path }),
        print: flags.print === true,
      });
    });
}
