// What a demo step is: a title for its heading, and what it does with the demo's context. The step files
// import this; only demo-steps.ts imports the steps, so no step file imports another's list.
import type { DemoContext } from "./demo-context.js";

export interface DemoStep {
  title: string;
  run(demo: DemoContext): Promise<void>;
}
