#!/usr/bin/env node
// Launcher committed to the repository so npm can link it before the build has run. It loads the esbuild
// bundle of dist/src/bin.js (`npm run build` makes both): one file to parse on the credential-process fast path.
import "../dist/bundle/bin.js";
