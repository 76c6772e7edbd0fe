#!/usr/bin/env node
// Launcher committed to the repository so npm can link it before the TypeScript build has run.
import "../dist/src/bin.js";
