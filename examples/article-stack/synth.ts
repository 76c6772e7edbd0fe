// Synthesizes the example app without the cdk CLI: `npx tsx examples/article-stack/synth.ts [OUTDIR]`
// writes OUTDIR/OperationUsersStack.template.json (OUTDIR defaults to examples/article-stack/cdk.out).

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ARTICLE_STACK_NAME, articleApp } from "./article-stack.js";

/** Synthesizes into `outdir` and returns the template's path. */
export function synthesizeArticleStack(outdir: string): string {
  const { app } = articleApp(outdir);
  const assembly = app.synth();
  return join(assembly.directory, assembly.getStackByName(ARTICLE_STACK_NAME).templateFile);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = resolve(process.argv[2] ?? join(fileURLToPath(new URL(".", import.meta.url)), "cdk.out"));
  console.log(synthesizeArticleStack(outdir));
}
