// `tobira sso login` and `tobira sso logout`: registers the commands; sso/ runs the IAM Identity Center device flow, loaded only when it
// runs. Role credentials of SSO profiles then come through every output (exec, export, credential-process, …).
import type { Command } from "commander";

interface SsoLogoutFlags {
  ssoSession?: string;
  profile?: string;
  json?: boolean;
}

interface SsoLoginFlags {
  ssoSession?: string;
  profile?: string;
  browser?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const sso = program
    .command("sso")
    .description("IAM Identity Center: sign in once, then use SSO profiles everywhere");
  sso
    .command("login")
    .description("sign in to an sso-session (or a legacy sso_start_url profile) with the device flow")
    .option("--sso-session <name>", "the [sso-session NAME] to sign in to")
    .option("--profile <name>", "sign in to this SSO profile's session (default: $AWS_PROFILE, else default)")
    .option("--no-browser", "only print the URL and the code; do not open a browser")
    .option("--json", "print a JSON report (start URL, session, expiry, cache file) on stdout")
    .addHelpText(
      "after",
      `
Examples:
  tobira sso login --sso-session my-company     # opens the browser; approve the code it shows
  tobira sso login --profile dev --no-browser   # print the URL and code, e.g. over SSH

The token is cached where the AWS CLI keeps it (~/.aws/sso/cache/<sha1>.json, 0600), so \`aws\` and the AWS
SDKs share the login. Sessions with sso_registration_scopes get a refresh token: tobira refreshes the token
before it expires. Commands started during a login wait for it and use its token.`,
    )
    .action(async (flags: SsoLoginFlags) => {
      const { runSsoLogin } = await import("../sso/login-run.js");
      await runSsoLogin({
        ...(flags.ssoSession === undefined ? {} : { ssoSession: flags.ssoSession }),
        ...(flags.profile === undefined ? {} : { profile: flags.profile }),
        browser: flags.browser !== false,
        json: flags.json === true,
      });
    });
  sso
    .command("logout")
    .description(
      "sign out as `aws sso logout` does: end each cached token at the portal, delete it and the credentials made from it",
    )
    .option("--sso-session <name>", "sign out of this [sso-session NAME] only (default: every cached login)")
    .option("--profile <name>", "sign out of this SSO profile's session only")
    .option("--json", "print what was removed as JSON on stdout")
    .addHelpText(
      "after",
      `
Examples:
  tobira sso logout                         # every login in ~/.aws/sso/cache, as \`aws sso logout\`
  tobira sso logout --sso-session my-company --json

Each token is ended with the portal's Logout (so it stops working everywhere), then deleted. Then go the role
credentials made from it: the AWS CLI's SSO files in ~/.aws/cli/cache and tobira's cached sessions (the SSO
roles and the roles chained from them). The next command asks you to run \`tobira sso login\`.`,
    )
    .action(async (flags: SsoLogoutFlags) => {
      const { runSsoLogout } = await import("../sso/logout-run.js");
      const { forgetSsoSessions } = await import("../credentials/cached-sessions.js");
      await runSsoLogout({
        ssoSession: flags.ssoSession,
        profile: flags.profile,
        json: flags.json === true,
        forgetDerived: (login) => forgetSsoSessions(login),
      });
    });
}
