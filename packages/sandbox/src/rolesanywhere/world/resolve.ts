// Resolves the world file's `rolesAnywhere` section: ids and ARNs, a CA bundle that parses, roles that exist,
// a session policy that is a policy, CRLs signed by their trust anchor's CA.

import { policyDocumentSchema } from "../../policy/index.js";
import type { IamRole } from "../../world/model.js";
import type { IssueList, Path } from "../../world/resolvers/issue-list.js";
import type { ResolveScope } from "../../world/resolvers/resolve-scope.js";
import { DEFAULT_CREATED } from "../../world/schema.js";
import { checkCaBundle, readBundle } from "../certificates.js";
import { CrlError, crlBytes, parseCrl } from "../crl.js";
import { raArn, stableUuid } from "../ids.js";
import type { RaCrl, RaProfile, RolesAnywhereWorld, TrustAnchor } from "../model.js";
import type { RolesAnywhereSection } from "./schema.js";

type Section = RolesAnywhereSection;

function resolveTrustAnchors(scope: ResolveScope, section: Section, region: string): TrustAnchor[] {
  return section.trustAnchors.map((anchor, index) => {
    const path: Path = ["rolesAnywhere", "trustAnchors", index];
    scope.accounts.check([...path, "account"], anchor.account);
    const problem = checkCaBundle(anchor.certificateBundle);
    if (problem !== undefined) scope.issues.add([...path, "certificateBundle"], problem);
    const id = stableUuid("trust-anchor", anchor.account, anchor.name);
    const anchorRegion = anchor.region ?? region;
    return {
      id,
      arn: raArn("trust-anchor", anchorRegion, anchor.account, id),
      name: anchor.name,
      account: anchor.account,
      region: anchorRegion,
      enabled: anchor.enabled,
      certificateBundle: anchor.certificateBundle,
      createdAt: DEFAULT_CREATED,
    };
  });
}

function roleArnOf(roles: IamRole[], account: string, ref: string, path: Path, issues: IssueList): string {
  const role = roles.find((r) => r.arn === ref || (r.account === account && r.name === ref));
  if (role) return role.arn;
  issues.add(
    path,
    `unknown role "${ref}": name a role of account ${account} or give a role ARN of this world`,
  );
  return ref;
}

function resolveProfile(scope: ResolveScope, roles: IamRole[], region: string, index: number): RaProfile {
  const profile = (scope.file.rolesAnywhere as Section).profiles[index]!;
  const path: Path = ["rolesAnywhere", "profiles", index];
  scope.accounts.check([...path, "account"], profile.account);
  const roleArns = profile.roles.map((ref, i) =>
    roleArnOf(roles, profile.account, ref, [...path, "roles", i], scope.issues),
  );
  if (profile.sessionPolicy !== undefined && !policyDocumentSchema.safeParse(profile.sessionPolicy).success) {
    scope.issues.add([...path, "sessionPolicy"], "the session policy is not a valid IAM policy document");
  }
  const id = stableUuid("profile", profile.account, profile.name);
  const profileRegion = profile.region ?? region;
  return {
    id,
    arn: raArn("profile", profileRegion, profile.account, id),
    name: profile.name,
    account: profile.account,
    region: profileRegion,
    enabled: profile.enabled,
    roleArns,
    sessionPolicy: profile.sessionPolicy === undefined ? undefined : JSON.stringify(profile.sessionPolicy),
    managedPolicyArns: profile.managedPolicyArns,
    durationSeconds: profile.durationSeconds,
    acceptRoleSessionName: profile.acceptRoleSessionName,
    createdAt: DEFAULT_CREATED,
  };
}

function resolveCrls(scope: ResolveScope, section: Section, anchors: TrustAnchor[]): RaCrl[] {
  return section.crls.flatMap((crl, index) => {
    const path: Path = ["rolesAnywhere", "crls", index];
    const anchor = anchors.find((a) => a.name === crl.trustAnchor);
    if (!anchor) {
      scope.issues.add([...path, "trustAnchor"], `unknown trust anchor "${crl.trustAnchor}"`);
      return [];
    }
    let der: Buffer;
    try {
      der = crlBytes(crl.crl);
      parseCrl(crl.crl, readBundle(anchor.certificateBundle));
    } catch (error) {
      if (!(error instanceof CrlError)) throw error;
      scope.issues.add([...path, "crl"], error.message);
      return [];
    }
    const id = stableUuid("crl", anchor.account, crl.name);
    return [
      {
        id,
        arn: raArn("crl", anchor.region, anchor.account, id),
        name: crl.name,
        account: anchor.account,
        region: anchor.region,
        enabled: crl.enabled,
        trustAnchorArn: anchor.arn,
        crlDer: der.toString("base64"),
        createdAt: DEFAULT_CREATED,
      },
    ];
  });
}

export function resolveRolesAnywhere(scope: ResolveScope, roles: IamRole[]): RolesAnywhereWorld {
  const section = scope.file.rolesAnywhere as Section;
  const region = scope.file.region;
  const trustAnchors = resolveTrustAnchors(scope, section, region);
  const profiles = section.profiles.map((_, index) => resolveProfile(scope, roles, region, index));
  return { trustAnchors, profiles, crls: resolveCrls(scope, section, trustAnchors) };
}
