// The example app (examples/article-stack) synthesized at test time and loaded into a sandbox world, and the
// pieces of that world the behaviour tests ask about. Nothing generated is committed.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ARTICLE_ACCOUNT,
  ARTICLE_REGION,
  PROJECT_1,
  PROJECT_2,
} from "../../../../examples/article-stack/article-stack.js";
import { synthesizeArticleStack } from "../../../../examples/article-stack/synth.js";
import { loadTemplatesIntoWorld, type TemplateFinding } from "../../src/world/cloudformation/index.js";
import type { IamRole, Instance, World } from "../../src/world/model.js";

export { ARTICLE_ACCOUNT, ARTICLE_REGION, PROJECT_1, PROJECT_2 };

export interface ArticleWorld {
  world: World;
  notes: TemplateFinding[];
  templatePath: string;
  /** The session roles by the (project, OS user) they were made for. */
  project1Role: IamRole;
  project2Role: IamRole;
  project2SharedRole: IamRole;
  instanceRole: IamRole;
  instances: { project1: Instance; project2: Instance; untagged: Instance };
  dispose(): void;
}

function roleTagged(world: World, runAs: string): IamRole {
  const role = world.roles.find((r) => r.tags.SSMSessionRunAs === runAs);
  if (role === undefined) throw new Error(`the example world has no role for ${runAs}`);
  return role;
}

function instanceNamed(world: World, name: string): Instance {
  const instance = world.instances.find((i) => i.name === name);
  if (instance === undefined) throw new Error(`the example world has no instance ${name}`);
  return instance;
}

export function loadArticleWorld(): ArticleWorld {
  const outdir = mkdtempSync(join(tmpdir(), "tobira-article-stack-"));
  const templatePath = synthesizeArticleStack(outdir);
  const { world, notes } = loadTemplatesIntoWorld(templatePath, {
    account: ARTICLE_ACCOUNT,
    region: ARTICLE_REGION,
  });
  const instanceRole = world.roles.find((role) => role.name.includes("InstanceRole"));
  if (instanceRole === undefined) throw new Error("the example world has no instance role");
  return {
    world,
    notes,
    templatePath,
    project1Role: roleTagged(world, "os-user1"),
    project2Role: roleTagged(world, "os-user2"),
    project2SharedRole: roleTagged(world, "os-user3"),
    instanceRole,
    instances: {
      project1: instanceNamed(world, "project1-web"),
      project2: instanceNamed(world, "project2-web"),
      untagged: instanceNamed(world, "shared-tools"),
    },
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
