#!/usr/bin/env node
// Entry point of the `tobira` command as an ES module (dist/src/bin.js): answer a cached credential-process at
// once, else run the program. bin/tobira.js, what npm links, does the same through the bundles.
//
// Why the fast path first: `credential-process` runs on every AWS CLI/SDK call of a profile that uses it, so a
// cache hit must cost little more than starting node. Loading commander and every command module first would
// more than double that, so the hit path loads only the session cache and its crypto.
import { answerFromCacheFast } from "./outputs/credential-process/fast-path.js";

// No process.exit() after a hit: stdout may be an asynchronous pipe, and exiting early could cut the JSON short.
if (!answerFromCacheFast(process.argv)) {
  const { main } = await import("./main.js");
  await main(process.argv);
}
