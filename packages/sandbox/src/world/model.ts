// The validated world: what `world/schema.ts` produces from a world file and every service reads.
// Plain data only; the schema is the one place that turns YAML into these shapes.

import type { PolicyDocument } from "../policy/types.js";

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
}

export interface IamGroup {
  name: string;
  account: string;
  arn: string;
  inlinePolicies: Record<string, PolicyDocument>;
  managedPolicies: string[];
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
}

export interface Account {
  id: string;
  alias: string;
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
}
