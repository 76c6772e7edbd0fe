// `npm run bundle`: the two esbuild bundles bin/tobira.js loads, made from tsc's output in packages/cli/dist/src.
//
// - dist/bundle/fast-path.cjs: the credential-process cache hit alone, one CommonJS file (see bin/tobira.js
//   for why CommonJS);
// - dist/bundle/main.js and its chunks: the program as ES modules, split so each command's code still loads
//   only when it runs.
// Packages stay external: they are the package's dependencies, installed beside it.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const cli = fileURLToPath(new URL("../packages/cli/", import.meta.url));
const outdir = join(cli, "dist", "bundle");
rmSync(outdir, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
};
await build({
  ...common,
  entryPoints: [join(cli, "dist", "src", "outputs", "credential-process", "fast-path.js")],
  format: "cjs",
  outfile: join(outdir, "fast-path.cjs"),
});
await build({
  ...common,
  entryPoints: [join(cli, "dist", "src", "main.js")],
  format: "esm",
  splitting: true,
  outdir,
});
