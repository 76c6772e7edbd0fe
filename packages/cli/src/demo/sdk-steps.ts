// The demo's first steps: with the AWS SDK in this process they narrate what tobira relies on (a signed call,
// AssumeRole with and without MFA, a user without a device) and check that the sandbox decides it as AWS would.
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { TobiraError } from "../errors.js";
import type { DemoContext, TemporaryCredentials } from "./demo-context.js";
import type { DemoStep } from "./demo-step.js";

/** The role profile every step works with (`switch`: Role-for-switch, sourced from alice, behind her MFA). */
function switchRole(demo: DemoContext): { roleArn: string; mfaSerial: string; sourceProfile: string } {
  const profile = demo.profile("switch");
  const { role_arn: roleArn, mfa_serial: mfaSerial, source_profile: sourceProfile } = profile;
  if (!roleArn || !mfaSerial || !sourceProfile) {
    throw new TobiraError(
      `profile 'switch' in ${demo.paths.config} lacks role_arn, mfa_serial or source_profile`,
    );
  }
  return { roleArn, mfaSerial, sourceProfile };
}

/** A step that narrates, then makes AssumeRole into the switch role without MFA, which AWS is to deny. */
function assumeRoleDeniedStep(step: {
  title: string;
  narration: string;
  label: string;
  /** The profile whose keys sign the call. */
  caller: (role: ReturnType<typeof switchRole>) => string;
}): DemoStep {
  return {
    title: step.title,
    async run(demo) {
      const role = switchRole(demo);
      demo.say(step.narration);
      await demo.call(step.label, "denied", () =>
        demo
          .sts(step.caller(role))
          .send(new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: "tobira-demo" })),
      );
    },
  };
}

const signedCallerIdentity: DemoStep = {
  title: "A signed call: GetCallerIdentity with alice's access key",
  async run(demo) {
    demo.say(
      "The AWS SDK signs the request (SigV4) with alice's long-term key from the sandbox's credentials file; " +
        "the sandbox recomputes the signature before it answers.",
    );
    const result = await demo.call("sts:GetCallerIdentity as alice", "allowed", () =>
      demo.sts("alice").send(new GetCallerIdentityCommand({})),
    );
    if (result.ok) {
      demo.show([
        ["Arn", result.value.Arn],
        ["Account", result.value.Account],
        ["UserId", result.value.UserId],
      ]);
    }
  },
};

const assumeRoleWithMfa: DemoStep = {
  title: "Switching role with MFA: AssumeRole into Role-for-switch",
  async run(demo) {
    const role = switchRole(demo);
    const code = await demo.mfaCode(role.mfaSerial);
    demo.say(
      `Profile 'switch' names ${role.roleArn}, sourced from '${role.sourceProfile}' with mfa_serial ` +
        `${role.mfaSerial}. The sandbox's virtual MFA device shows ${code}; the SDK sends it as TokenCode.`,
    );
    const result = await demo.call("sts:AssumeRole with MFA", "allowed", () =>
      demo.sts(role.sourceProfile).send(
        new AssumeRoleCommand({
          RoleArn: role.roleArn,
          RoleSessionName: "tobira-demo",
          SerialNumber: role.mfaSerial,
          TokenCode: code,
        }),
      ),
    );
    if (!result.ok) return;
    const { AssumedRoleUser, Credentials } = result.value;
    demo.show([
      ["assumed role", AssumedRoleUser?.Arn],
      ["expires", Credentials?.Expiration?.toISOString()],
    ]);
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey || !Credentials.SessionToken) return;
    const session: TemporaryCredentials = {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
    };
    demo.say("Those temporary credentials (key, secret and session token) now sign calls as the role:");
    const identity = await demo.call("sts:GetCallerIdentity with the role's credentials", "allowed", () =>
      demo.stsWith(session).send(new GetCallerIdentityCommand({})),
    );
    if (identity.ok) demo.show([["Arn", identity.value.Arn]]);
  },
};

const assumeRoleWithoutMfa = assumeRoleDeniedStep({
  title: "The same AssumeRole without MFA is denied",
  narration:
    "Without SerialNumber and TokenCode the request carries no aws:MultiFactorAuthPresent, so the " +
    "MFA conditions cannot match and AWS refuses:",
  label: "sts:AssumeRole without MFA",
  caller: (role) => role.sourceProfile,
});

const carolDenied = assumeRoleDeniedStep({
  title: "carol, who has no MFA device yet, is denied",
  narration:
    "carol is in the same group as alice but has no MFA device, so she cannot give a code and her " +
    "group's policies deny her everything but setting one up:",
  label: "sts:AssumeRole as carol",
  caller: () => "carol",
});

export const sdkSteps: DemoStep[] = [
  signedCallerIdentity,
  assumeRoleWithMfa,
  assumeRoleWithoutMfa,
  carolDenied,
];
