// The app the cdk CLI runs (`app` in cdk.json): `npx cdk synth` in this folder, `npx cdk deploy` for a real
// account. The CLI names its output folder in CDK_OUTDIR, which App reads when no outdir is given.

import { articleApp } from "./article-stack.js";

articleApp().app.synth();
