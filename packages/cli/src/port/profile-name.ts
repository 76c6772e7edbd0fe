// The profile a session command uses: --profile, else AWS_PROFILE, else default — the rule of
// ssm/profile-access.ts's chosenProfile, kept here because importing that module loads the EC2 client
// (~80 MB), which port tunnels and ssh-proxy to an instance id never need.
export function profileName(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE ?? "default";
}
