// The world being assembled, in the world file's input shape (so the world schema and resolver check it as
// they check a YAML world), with where each entity came from so their findings point into the templates.

import type { z } from "zod";
import type { PathSegment } from "../issues.js";
import type { worldFileSchema } from "../schema.js";

export type WorldFileInput = z.input<typeof worldFileSchema>;
/** The world file's sections, in the order the file and the resolver take them. */
export const SECTIONS = [
  "accounts",
  "managedPolicies",
  "users",
  "groups",
  "roles",
  "kmsKeys",
  "sessionPreferences",
  "instances",
  "profiles",
] as const;
export type Section = (typeof SECTIONS)[number];
export type SectionItem<S extends Section> = NonNullable<WorldFileInput[S]>[number];

export type AccountInput = SectionItem<"accounts">;
export type UserInput = SectionItem<"users">;
export type GroupInput = SectionItem<"groups">;
export type RoleInput = SectionItem<"roles">;
export type ManagedPolicyInput = SectionItem<"managedPolicies">;
export type KmsKeyInput = SectionItem<"kmsKeys">;
export type InstanceInput = SectionItem<"instances">;
export type PreferencesInput = SectionItem<"sessionPreferences">;
export type ProfileInput = SectionItem<"profiles">;

/** Where an entity came from: a template resource, or the base world (template "base world", path in it). */
export interface Origin {
  template: string;
  path: PathSegment[];
}

export const BASE_WORLD = "base world";

/** One empty list per section, in SECTIONS order. */
function listPerSection<Lists extends { [S in Section]: unknown[] }>(): Lists {
  return Object.fromEntries(SECTIONS.map((section) => [section, []])) as unknown as Lists;
}

export class WorldDraft {
  region: string;
  readonly sections: { [S in Section]: SectionItem<S>[] } = listPerSection();
  readonly origins: { [S in Section]: Origin[] } = listPerSection();

  constructor(region: string) {
    this.region = region;
  }

  add<S extends Section>(section: S, item: SectionItem<S>, origin: Origin): SectionItem<S> {
    this.sections[section].push(item);
    this.origins[section].push(origin);
    return item;
  }

  remove<S extends Section>(section: S, item: SectionItem<S>): void {
    const index = this.sections[section].indexOf(item);
    if (index < 0) return;
    this.sections[section].splice(index, 1);
    this.origins[section].splice(index, 1);
  }

  /** An IAM user, group or role of an account, by name (IAM names are case-insensitive). */
  findNamed<S extends "users" | "groups" | "roles">(
    section: S,
    account: string,
    name: string,
  ): SectionItem<S> | undefined {
    const wanted = name.toLowerCase();
    return (this.sections[section] as { account: string; name: string }[]).find(
      (item) => item.account === account && item.name.toLowerCase() === wanted,
    ) as SectionItem<S> | undefined;
  }

  hasAccount(id: string): boolean {
    return this.sections.accounts.some((account) => account.id === id);
  }

  toFile(): WorldFileInput {
    return { region: this.region, ...this.sections };
  }
}
