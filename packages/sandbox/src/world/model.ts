// The validated world: what `world/schema.ts` produces from a world file and every service reads.
// Plain data only; the schema is the one place that turns YAML into these shapes.

import type { PolicyDocument } from "../policy/types.js";
import type { RolesAnywhereWorld } from "../rolesanywhere/model.js";

export type Tags = Record<string, string>;

export interface AccessKey {
  id: string;
  secret: string;
  status: "Active" | "Inactive";
  /** ISO-8601 creation time; the schema fills a fixed default for keys declared in the world. */
  created: string;
}

export interface VirtualMfaDevice {
  /** arn:aws:iam::ACCOUNT:mfa/NAME */
  serial: string;
  /** Base32 TOTP seed (RFC 6238, SHA-1, 6 digits, 30 s step). */
  secret: string;
}

export interface ManagedPolicy {
  name: string;
  /** arn:aws:iam::ACCOUNT:policy/PATHNAME, or arn:aws:iam::aws:policy/NAME for AWS-managed ones. */
  arn: string;
  account: string;
  document: PolicyDocument;
  /** Added by world/: IAM path ("/" by default) and description. Always filled by the world loader. */
  path?: string;
  description?: string;
}

export interface IamUser {
  name: string;
  account: string;
  path: string;
  /** AIDA… unique id, stable for the world. */
  userId: string;
  arn: string;
  accessKeys: AccessKey[];
  mfaDevices: VirtualMfaDevice[];
  tags: Tags;
  groups: string[];
  inlinePolicies: Record<string, PolicyDocument>;
  /** ARNs of managed policies. */
  managedPolicies: string[];
  /** Added by world/: ISO-8601 creation time (GetUser's CreateDate). Always filled by the world loader. */
  created?: string;
}

export interface IamGroup {
  name: string;
  account: string;
  arn: string;
  inlinePolicies: Record<string, PolicyDocument>;
  managedPolicies: string[];
  /** Added by world/: IAM path, AGPA… unique id and creation time. Always filled by the world loader. */
  path?: string;
  groupId?: string;
  created?: string;
}

export interface IamRole {
  name: string;
  account: string;
  path: string;
  /** AROA… unique id, stable for the world. */
  roleId: string;
  arn: string;
  trust: PolicyDocument;
  inlinePolicies: Record<string, PolicyDocument>;
  managedPolicies: string[];
  tags: Tags;
  /** Seconds, 3600–43200. */
  maxSessionDuration: number;
  /** Added by world/: creation time and description. Always filled by the world loader. */
  created?: string;
  description?: string;
}

export interface KmsKey {
  /** Key id (a UUID). */
  id: string;
  account: string;
  region: string;
  arn: string;
  /** Full alias names, each starting with `alias/`. */
  aliases: string[];
  policy: PolicyDocument;
  description: string;
  enabled: boolean;
}

export interface SessionPreferences {
  account: string;
  region: string;
  /** Key id, alias name or ARN; empty when sessions are not KMS-encrypted. */
  kmsKeyId: string;
  runAsEnabled: boolean;
  runAsDefaultUser: string;
  /** Minutes as the document's strings, 1–60. */
  idleSessionTimeout: string;
  /** Minutes as the document's strings, 1–1440; empty = no limit. */
  maxSessionDuration: string;
  shellProfile: { linux: string; windows: string };
}

/** A port an instance exposes, served by a local service the sandbox starts or by a fixed local address. */
export interface InstancePort {
  port: number;
  service: "http" | "echo" | "sshd" | "tcp";
  /** For `tcp`: the local host:port it forwards to. */
  target?: string;
}

export interface Instance {
  /** i-… for EC2, mi-… for hybrid-activated managed nodes. */
  id: string;
  account: string;
  region: string;
  name: string;
  tags: Tags;
  state: "running" | "stopped" | "pending" | "stopping" | "terminated";
  platform: "Linux" | "Windows";
  /** Name of the instance role in the same account; empty = no role (offline for SSM). */
  role: string;
  privateIp: string;
  privateDnsName: string;
  ports: InstancePort[];
  /** Remote hosts (host:port or host) the instance can reach for remote-host port forwarding. */
  reachableHosts: string[];
  /**
   * The OS users that exist on the instance, when the world says: a Run As user not among them fails the
   * session as the agent does. Absent: the sandbox machine's own users decide (see agents/run-as.ts).
   */
  osUsers?: string[];
  /** false: the agent has stopped answering (ConnectionLost) although the instance runs. Default true. */
  agentOnline?: boolean;
  /** An on-premises node the world registers through one of its hybrid activations: that activation's id. */
  activationId?: string;
  /** When such a node registered (ISO-8601). */
  registeredAt?: string;
}

/** A hybrid activation the world starts with (its nodes are among the world's instances). */
export interface HybridActivation {
  /** The world's name for it. */
  name: string;
  /** The ActivationId (a UUID). */
  id: string;
  account: string;
  region: string;
  /** Name of the IAM service role its nodes get. */
  iamRole: string;
  description?: string | undefined;
  defaultInstanceName?: string | undefined;
  registrationLimit: number;
  /** Ids of the nodes registered through it. */
  nodeIds: string[];
  tags: Tags;
  created: string;
  expirationDate: string;
}

export interface Account {
  id: string;
  alias: string;
}

/** Where the world asks the sandbox's agents to depart from the real SSM agent (never by default). */
export interface WorldAgents {
  /**
   * A shell session (Standard_Stream, InteractiveCommands) ends with `EXIT_CODE: n`, as NonInteractiveCommands
   * do, so a client can report the remote shell's status. The real agent never sends it for shells, and the
   * official session-manager-plugin prints it as text.
   */
  reportShellExitCode: boolean;
}

export interface World {
  /** Default region for generated profiles and for resources that do not name one. */
  region: string;
  accounts: Account[];
  managedPolicies: ManagedPolicy[];
  users: IamUser[];
  groups: IamGroup[];
  roles: IamRole[];
  kmsKeys: KmsKey[];
  sessionPreferences: SessionPreferences[];
  instances: Instance[];
  /**
   * Added by world/: the profiles the sandbox writes to its AWS config file. Always filled by the world
   * loader (one user profile per IAM user at least); a hand-built World without it gets user profiles only.
   */
  profiles?: ConfigProfile[];
  /** Hybrid activations the world declares; absent in hand-built worlds (none then). */
  hybridActivations?: HybridActivation[];
  /** IAM Roles Anywhere as the world declares it; absent in hand-built worlds (none then). */
  rolesAnywhere?: RolesAnywhereWorld;
  /** Absent (a hand-built or template world): the agents behave as the real one. */
  agents?: WorldAgents;
  /** The IAM Identity Center instance, when the world has one. */
  identityCenter?: IdentityCenter | undefined;
}

/** A user of the Identity Center identity store (not an IAM user). */
export interface SsoUser {
  name: string;
  /** A stable id, as the identity store gives (a UUID-like string). */
  userId: string;
  email: string;
  displayName: string;
  /** The device page's sign-in (the world file's, or one made at random when it gives none). */
  password: string;
  /** Names of the Identity Center groups the user is in. */
  groups: string[];
}

/** A permission set provisioned into an account: the role AWS made for it there. */
export interface SsoAssignment {
  account: string;
  permissionSet: string;
  principal: { type: "USER" | "GROUP"; name: string };
  /** AWSReservedSSO_<set>_<suffix> */
  roleName: string;
  roleArn: string;
}

export interface PermissionSet {
  name: string;
  description: string;
  /** Seconds the role credentials of GetRoleCredentials last. */
  sessionDuration: number;
}

export interface IdentityCenter {
  region: string;
  startUrl: string;
  /** d-XXXXXXXXXX */
  identityStoreId: string;
  accessTokenSeconds: number;
  users: SsoUser[];
  permissionSets: PermissionSet[];
  assignments: SsoAssignment[];
}

/** A profile whose credentials are an IAM user's first active access key (written to the credentials file). */
export interface UserProfile {
  kind: "user";
  name: string;
  region: string;
  userArn: string;
}

/** A role profile as the AWS CLI reads it: `role_arn`, `source_profile`, optional `mfa_serial`. */
export interface RoleProfile {
  kind: "role";
  name: string;
  region: string;
  roleArn: string;
  sourceProfile: string;
  mfaSerial?: string;
  durationSeconds?: number;
}

export type ConfigProfile = UserProfile | RoleProfile;
