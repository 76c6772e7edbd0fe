// Registry of commands: each module registers itself on the program and loads heavy code only when run.
// To add a command, write commands/<name>.ts exporting `register(program)` and add it to this list.
// The order here is the order `tobira --help` lists them in.
import type { Command } from "commander";
import * as add from "./add.js";
import * as clear from "./clear.js";
import * as cp from "./cp.js";
import * as credentialProcess from "./credential-process.js";
import * as demo from "./demo.js";
import * as doctor from "./doctor.js";
import * as exec from "./exec.js";
import * as exportCommand from "./export.js";
import * as list from "./list.js";
import * as login from "./login.js";
import * as node from "./node.js";
import * as port from "./port.js";
import * as remove from "./remove.js";
import * as rolesAnywhere from "./rolesanywhere.js";
import * as rotate from "./rotate.js";
import * as run from "./run.js";
import * as sandbox from "./sandbox.js";
import * as serve from "./serve.js";
import * as shell from "./shell.js";
import * as sshConfig from "./ssh-config.js";
import * as sshProxy from "./ssh-proxy.js";
import * as sso from "./sso.js";
import * as targets from "./targets.js";
import * as vault from "./vault.js";

export interface CommandModule {
  register(program: Command): void;
}

export const commandModules: CommandModule[] = [
  // credentials: the vault and what it holds
  add,
  list,
  remove,
  rotate,
  clear,
  vault,
  // IAM Identity Center sign-in
  sso,
  // credential outputs
  exec,
  exportCommand,
  credentialProcess,
  serve,
  login,
  // certificate-based role credentials (IAM Roles Anywhere)
  rolesAnywhere,
  // Session Manager: find an instance, open a shell, run a command, forward ports, carry SSH
  targets,
  shell,
  run,
  port,
  cp,
  sshProxy,
  sshConfig,
  // on-premises servers: the SSM agent's role credentials for local users
  node,
  // explain what fails on the way from a profile to a target
  doctor,
  // the local AWS stand-in
  sandbox,
  demo,
];
