// The profile a session command uses: --profile, else AWS_PROFILE, else default. It is ssm/profile-access.ts's
// rule, under the name the port and ssh-proxy commands call it by; that module no longer loads the EC2 client
// up front, so importing it costs a tunnel nothing it would not load anyway.
export { chosenProfile as profileName } from "../ssm/profile-access.js";
