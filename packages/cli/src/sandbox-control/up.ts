// `tobira sandbox up`: serve the sandbox in the foreground until SIGINT/SIGTERM, or start it in the background.
import { TobiraError } from "../errors.js";
import { startDetachedSandbox } from "./detach.js";
import { describeStartFailure, loadSandboxLibrary, loadWorld, type WorldSource } from "./sandbox-library.js";
import { inspectSandboxProcess, resolveStateDir, sandboxPaths } from "./state-folder.js";
import { describeRunningSandbox } from "./usage.js";
import { readServedWorld, summarizeWorld } from "./world-summary.js";

export interface SandboxUpOptions extends WorldSource {
  port?: number;
  state?: string;
  detach?: boolean;
}

export async function runSandboxUp(options: SandboxUpOptions): Promise<void> {
  const paths = sandboxPaths(resolveStateDir(options.state));
  const current = await inspectSandboxProcess(paths);
  if (current.status === "unresponsive") {
    throw new TobiraError(
      `a sandbox process (pid ${current.record.pid}) holds ${paths.stateDir} but ${current.record.endpoint} does not answer`,
      { hint: `stop it with \`tobira sandbox down --state ${paths.stateDir}\`, then start again` },
    );
  }
  if (current.status === "running") {
    const world = readServedWorld(paths.world);
    process.stdout.write(
      `a sandbox is already running for ${paths.stateDir} (pid ${current.record.pid})\n` +
        `${describeRunningSandbox(current.record.endpoint, paths, world && summarizeWorld(world), { detached: true })}\n`,
    );
    return;
  }

  if (options.detach) {
    // A bad world or template fails here, on the terminal, rather than in the background process's log.
    if (options.world !== undefined || options.template !== undefined)
      loadWorld(await loadSandboxLibrary(), options);
    const record = await startDetachedSandbox(paths, { ...options, port: options.port });
    const world = readServedWorld(paths.world);
    process.stdout.write(
      `${describeRunningSandbox(record.endpoint, paths, world && summarizeWorld(world), { detached: true })}\n`,
    );
    return;
  }

  const sandbox = await loadSandboxLibrary();
  const world = loadWorld(sandbox, options, (note) => process.stderr.write(`note: ${note}\n`));
  let running: Awaited<ReturnType<typeof sandbox.startSandbox>>;
  try {
    running = await sandbox.startSandbox({ world, port: options.port ?? 0, stateDir: paths.stateDir });
  } catch (error) {
    throw describeStartFailure(error, options.port);
  }
  process.stdout.write(
    `${describeRunningSandbox(running.endpoint, paths, summarizeWorld(world), { detached: false })}\n`,
  );
  const signal = await nextStopSignal();
  process.stderr.write(`received ${signal}; stopping the sandbox\n`);
  await running.close();
  process.stdout.write("sandbox stopped\n");
}

/** Resolves on the first SIGINT or SIGTERM; a second one while closing exits at once. */
function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      const force = () => process.exit(130);
      process.once("SIGINT", force);
      process.once("SIGTERM", force);
      done(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
