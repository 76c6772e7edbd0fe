import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli.js";

/** Whether a command runs something itself (`tobira demo`), rather than only grouping subcommands. */
function runs(command: Command): boolean {
  return (command as unknown as { _actionHandler: unknown })._actionHandler != null;
}

/**
 * Every command a user can run: those without subcommands, and those with an action of their own, with its
 * words after `tobira` ("sandbox node run").
 */
function runnable(command: Command, path: string[] = []): { path: string; command: Command }[] {
  const own = path.length > 0 && (command.commands.length === 0 || runs(command));
  return [
    ...(own ? [{ path: path.join(" "), command }] : []),
    ...command.commands.flatMap((child) => runnable(child, [...path, child.name()])),
  ];
}

/** What `--help` prints for a command after commander's usage, options and subcommands (addHelpText). */
function helpTextOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  const generated = command.helpInformation();
  assert.ok(text.includes(generated));
  return text.replace(generated, "");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("every command's --help shows an example", () => {
  const all = runnable(buildProgram());

  it("walks the whole program", () => {
    const paths = all.map((leaf) => leaf.path);
    for (const expected of ["add", "vault status", "sandbox node run", "demo", "demo sso", "node exec"])
      assert.ok(paths.includes(expected), expected);
    for (const group of ["vault", "sandbox", "sandbox node", "node"])
      assert.ok(!paths.includes(group), group);
  });

  for (const { path, command } of all) {
    it(`tobira ${path}`, () => {
      // An indented line that runs the command, perhaps after `$ `, variables or a pipe:
      // "  $ tobira sandbox down", "  printf … | tobira run …", "      ProxyCommand tobira ssh-proxy %h %p".
      const example = new RegExp(`^ {2}(\\$ )?(.*\\s)?tobira ${escapeRegExp(path)}( |$)`, "m");
      assert.match(helpTextOf(command), example, `no \`tobira ${path} …\` example in its --help`);
    });
  }
});
