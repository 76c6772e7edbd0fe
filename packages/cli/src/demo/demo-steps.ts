// The demo's steps, in order: the SDK steps narrate what tobira relies on (sdk-steps.ts), then the real CLI
// takes alice through her working session (cli-steps.ts) and onto instances through Session Manager
// (session-steps.ts). Later issues extend the demo by adding steps here.
import { credentialSteps } from "./cli-steps.js";
import type { DemoStep } from "./demo-step.js";
import { sdkSteps } from "./sdk-steps.js";
import { sessionSteps } from "./session-steps.js";

export type { DemoStep };

export const demoSteps: DemoStep[] = [...sdkSteps, ...credentialSteps, ...sessionSteps];
