#!/usr/bin/env node
// The launcher npm links as `tobira`, committed so npm can link it before the build has run; `npm run build`
// makes the two bundles it loads (scripts/bundle-cli.mjs).
//
// CommonJS on purpose (bin/package.json says so): a cached `credential-process` runs on every AWS CLI/SDK call,
// and node starts an ES module entry several milliseconds slower than a CommonJS one (the ES module loader is
// set up, the graph linked and evaluated asynchronously). So a hit is answered by one required CommonJS file
// with synchronous reads, and only anything else loads the ES module bundle of the program.

// `credential-process PROFILE` and `rolesanywhere credential-process` with flags have a cached answer.
const answered =
  (process.argv[2] === "credential-process" || process.argv[2] === "rolesanywhere") &&
  require("../dist/bundle/fast-path.cjs").answerFromCacheFast(process.argv);
if (!answered) {
  import("../dist/bundle/main.js").then((program) => program.main(process.argv));
}
