#!/usr/bin/env node
// Kept for tests that still start the CLI through this path (test/moto): every command is registered in
// commands/index.ts now, so this is the built CLI itself. New tests run bin/tobira.js directly.
import "../../bin/tobira.js";
