// How every demo tells its story: each step under a numbered heading, what the audit log says under one more,
// and the verdict at the end: the steps that did not end as expected as one error, or the closing line.
import { TobiraError } from "../errors.js";
import { ruledHeading, wrapText } from "../output/wrap.js";
import type { DemoContext } from "./demo-context.js";
import type { DemoStep } from "./demo-step.js";

type Out = Pick<NodeJS.WriteStream, "write">;

export const heading = ruledHeading;

/** Runs the steps in order, each under "── N/M  title ───". */
export async function narrateSteps(out: Out, demo: DemoContext, steps: readonly DemoStep[]): Promise<void> {
  for (const [index, step] of steps.entries()) {
    out.write(`\n${heading(`${index + 1}/${steps.length}  ${step.title}`)}\n`);
    await step.run(demo);
  }
}

/** The audit log's part of the story: its heading, then one line each. */
export function writeAuditSection(out: Out, title: string, lines: readonly string[]): void {
  out.write(`\n${heading(title)}\n`);
  for (const line of lines) out.write(`${line}\n`);
}

/**
 * The demo's end: a TobiraError when a step did not end as expected (the hint names them unless given),
 * otherwise `closing` on a line of its own.
 */
export function concludeDemo(out: Out, surprises: readonly string[], closing: string, hint?: string): void {
  if (surprises.length > 0) {
    throw new TobiraError(`${surprises.length} step(s) of the demo did not end as expected`, {
      hint: hint ?? `see: ${surprises.join("; ")}`,
    });
  }
  out.write(`\n${wrapText(closing).join("\n")}\n`);
}
