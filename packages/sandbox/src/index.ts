// @tobira/sandbox public API: start a local AWS stand-in from a world, and read its MFA codes.
// CONTRACT (implemented by server/, world/, state/): keep these signatures; the CLI calls them.
//
// export interface SandboxOptions {
//   world?: World;            // default: defaultWorld()
//   port?: number;            // default 0 = a free port; always binds 127.0.0.1
//   stateDir: string;         // created 0700 if missing
//   clock?: () => number;     // ms since epoch; default Date.now (admin-only time travel for tests)
// }
// export interface RunningSandbox { endpoint: string; port: number; stateDir: string; close(): Promise<void> }
// export function startSandbox(options: SandboxOptions): Promise<RunningSandbox>
//   - writes <stateDir>/config, <stateDir>/credentials (0600), appends <stateDir>/audit.jsonl,
//     keeps <stateDir>/state.json (0600, atomic) and <stateDir>/world.json (0600: the world it serves),
//     <stateDir>/sandbox.json {pid, endpoint, port, startedAt} while it runs (removed by close()).
// export function defaultWorld(): World
// export function loadWorldFile(path: string): World      // throws WorldError naming the path, e.g. roles[2].trust.Statement[0]
// export class WorldError extends Error
// export function mfaCodeFor(stateDir: string, serial: string, options?: { now?: () => number; onWait?: (seconds: number) => void }): Promise<string>
//   - the current TOTP of a device in <stateDir>/world.json; if state.json says it was consumed, waits for the next step.
export {};
