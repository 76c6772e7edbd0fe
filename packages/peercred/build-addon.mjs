// Builds the addon with the node-gyp npm runs install scripts with, against the headers of the Node that
// runs it (<prefix>/include/node, as Debian's nodejs and the official tarballs ship them), so no header
// download is needed. A failed build warns and exits 0: `tobira node serve` then says the addon is missing.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// `--if-missing` (the root build's insurance, should an install have skipped scripts): only when not built.
const here = dirname(fileURLToPath(import.meta.url));
if (process.argv.includes("--if-missing") && existsSync(join(here, "build", "Release", "peercred.node"))) {
  process.exit(0);
}

const prefix = join(dirname(process.execPath), "..");
const args = ["rebuild"];
if (existsSync(join(prefix, "include", "node", "node.h"))) args.push(`--nodedir=${prefix}`);
const gyp = process.env.npm_config_node_gyp;
const result = gyp
  ? spawnSync(process.execPath, [gyp, ...args], { stdio: "inherit", cwd: here })
  : spawnSync("node-gyp", args, { stdio: "inherit", shell: false, cwd: here });
if (result.status !== 0) {
  process.stderr.write(
    "@tobira/peercred: the SO_PEERCRED addon did not build (it needs g++, make, python3 and the Node headers); `tobira node serve` will refuse to start until `npm rebuild @tobira/peercred` succeeds\n",
  );
}
