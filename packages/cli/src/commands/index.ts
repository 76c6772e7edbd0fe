// Registry of commands: each module registers itself on the program and loads heavy code only when run.
import type { Command } from "commander";

export interface CommandModule {
  register(program: Command): void;
}

export const commandModules: CommandModule[] = [];
