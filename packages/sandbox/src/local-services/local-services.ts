// The local services behind the world's instance ports: one HTTP server per instance with an `http` port,
// one echo server per `echo` port, one private sshd for every `sshd` port, `tcp` ports mapped to their
// loopback target. Started with the sandbox (sshd on first use) or, for a node registered while it runs,
// when the node joins the world (attach); listed in <state>/local-services.json,
// stopped on close. The SSM agents ask it where a connection to instance:port goes.

import { join } from "node:path";
import { writeFileAtomic } from "../state/atomic-file.js";
import type { Instance, InstancePort, World } from "../world/model.js";
import { EchoService } from "./echo-service.js";
import { GENERATED_FILES } from "./generated-files.js";
import { HttpService, SERVED_BY_HEADER } from "./http-service.js";
import { formatAddress, isLoopbackHost, parseHostPort, type ServiceAddress } from "./service-address.js";
import { ServicesLog } from "./services-log.js";
import { SshdService, type SshLogin } from "./sshd-service.js";

export const LOCAL_SERVICES_JSON = "local-services.json";

export interface LocalServicesOptions {
  /** The sshd binary; default /usr/sbin/sshd. A path that does not exist means "sshd not installed". */
  sshdPath?: string;
  /** The OS user the sshd lets in; default the user the sandbox runs as. */
  sshUser?: string;
}

/** Where a connection to an instance port goes, or why nothing serves it. */
export type PortResolution =
  | { ok: true; service: InstancePort["service"]; address: ServiceAddress }
  | { ok: false; reason: string; hint?: string };

/** What <state>/local-services.json says (for the CLI, the demo and people). */
export interface LocalServicesDescription {
  instances: {
    id: string;
    name: string;
    ports: { port: number; service: InstancePort["service"]; address?: string; note?: string }[];
  }[];
  http: { files: { name: string; path: string; size: number }[]; servedByHeader: string };
  ssh: (SshLogin & { started: "on first use" }) | { unavailable: string; hint: string } | null;
  log: string;
}

type Served =
  | { kind: "listening"; service: "http" | "echo" | "tcp"; address: ServiceAddress }
  | { kind: "sshd" }
  | { kind: "none"; service: InstancePort["service"]; reason: string; hint?: string };

function key(instance: Instance, port: number): string {
  return `${instance.account}/${instance.region}/${instance.id}:${port}`;
}

export class LocalServices {
  readonly log: ServicesLog;
  readonly #world: World;
  readonly #served = new Map<string, Served>();
  readonly #closers: (() => Promise<void>)[] = [];
  #sshd: SshdService | undefined;
  #closed = false;
  #stateDir = "";
  #options: LocalServicesOptions = {};
  /** Ports being started for instances that joined after start, by instance. */
  readonly #attaching = new Map<string, Promise<void>>();

  private constructor(world: World, stateDir: string, clock: () => number) {
    this.#world = world;
    this.log = new ServicesLog(stateDir, clock);
  }

  /** Starts what the world's instance ports need. On failure everything already started is stopped. */
  static async start(
    world: World,
    stateDir: string,
    options: LocalServicesOptions = {},
    clock: () => number = Date.now,
  ): Promise<LocalServices> {
    const services = new LocalServices(world, stateDir, clock);
    try {
      await services.#startAll(stateDir, options);
      services.#writeDescription(stateDir);
    } catch (error) {
      await services.close();
      throw error;
    }
    return services;
  }

  get world(): World {
    return this.#world;
  }

  /** The sshd login (user, key, known_hosts) when sshd serves some port here. */
  get sshLogin(): SshLogin | undefined {
    return this.#sshd?.login;
  }

  /** Where a connection to `instance`:`port` goes (starting sshd if this is its first use). */
  async resolve(instance: Instance, port: number): Promise<PortResolution> {
    const where = `${instance.name || instance.id}:${port}`;
    await this.#attaching.get(key(instance, 0));
    const served = this.#served.get(key(instance, port));
    if (this.#closed) return { ok: false, reason: "The sandbox is stopping." };
    if (served === undefined) {
      const declared = instance.ports.map((p) => p.port).join(", ") || "none";
      return {
        ok: false,
        reason: `Nothing listens on ${where}: the world declares no port ${port} for ${instance.id} (its ports: ${declared}).`,
        hint: "Add the port to the instance's `ports` in the world file.",
      };
    }
    if (served.kind === "listening") return { ok: true, service: served.service, address: served.address };
    if (served.kind === "none") {
      return {
        ok: false,
        reason: `Nothing serves ${where} (${served.service}): ${served.reason}`,
        ...(served.hint === undefined ? {} : { hint: served.hint }),
      };
    }
    const sshd = this.#sshd!;
    try {
      return { ok: true, service: "sshd", address: await sshd.address() };
    } catch (error) {
      const failure = error as Error & { hint?: string };
      return {
        ok: false,
        reason: `Nothing serves ${where} (sshd): ${failure.message}`,
        ...(failure.hint === undefined ? {} : { hint: failure.hint }),
      };
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const closers = this.#closers.splice(0);
    await Promise.all(closers.map((close) => close().catch(() => {})));
  }

  async #startAll(stateDir: string, options: LocalServicesOptions): Promise<void> {
    this.#stateDir = stateDir;
    this.#options = options;
    const sshdInstances = this.#world.instances.filter((i) => i.ports.some((p) => p.service === "sshd"));
    if (sshdInstances.length > 0) this.#startSshd(sshdInstances.flatMap((i) => knownHostNames(i)));
    for (const instance of this.#world.instances) await this.#serveInstance(instance);
  }

  #startSshd(names: string[]): SshdService {
    const options = this.#options;
    const sshd = new SshdService({
      stateDir: this.#stateDir,
      log: this.log,
      ...(options.sshdPath === undefined ? {} : { sshdPath: options.sshdPath }),
      ...(options.sshUser === undefined ? {} : { user: options.sshUser }),
      knownHostNames: names,
    });
    this.#sshd = sshd;
    this.#closers.push(() => sshd.close());
    return sshd;
  }

  /**
   * Serves the ports of an instance that joined the world after start (a node registered through a hybrid
   * activation), as start serves the declared ones; once per instance id, and a no-op for served ones.
   */
  attach(instance: Instance): Promise<void> {
    const id = key(instance, 0);
    const known = this.#attaching.get(id);
    if (known !== undefined || this.#closed) return known ?? Promise.resolve();
    if (instance.ports.every((p) => this.#served.has(key(instance, p.port)))) return Promise.resolve();
    const attaching = (async () => {
      if (instance.ports.some((p) => p.service === "sshd")) {
        const names = knownHostNames(instance);
        if (this.#sshd === undefined) this.#startSshd(names);
        else this.#sshd.addKnownHostNames(names);
      }
      await this.#serveInstance(instance);
      this.#writeDescription(this.#stateDir);
    })().catch((error: unknown) => {
      this.log.note(`${instance.id}: its ports are not served: ${(error as Error).message}`);
    });
    this.#attaching.set(id, attaching);
    return attaching;
  }

  async #serveInstance(instance: Instance): Promise<void> {
    let http: HttpService | undefined;
    for (const port of instance.ports) {
      const served = await this.#serve(instance, port, async () => {
        if (http === undefined) {
          const started = await HttpService.start(instance);
          this.#closers.push(() => started.close());
          http = started;
        }
        return http.address;
      });
      this.#served.set(key(instance, port.port), served);
      this.#noteServed(`${instance.name || instance.id}:${port.port}`, port, served);
    }
  }

  #noteServed(where: string, port: InstancePort, served: Served): void {
    if (served.kind === "listening")
      this.log.note(`${where} ${port.service} → ${formatAddress(served.address)}`);
    else if (served.kind === "none") this.log.note(`${where} ${port.service} → nothing: ${served.reason}`);
    else
      this.log.note(
        `${where} sshd → ${this.#sshd?.unavailable === undefined ? "the sandbox's sshd" : "nothing (sshd unavailable)"}`,
      );
  }

  async #serve(instance: Instance, port: InstancePort, http: () => Promise<ServiceAddress>): Promise<Served> {
    switch (port.service) {
      case "http":
        return { kind: "listening", service: "http", address: await http() };
      case "echo": {
        const echo = await EchoService.start();
        this.#closers.push(() => echo.close());
        return { kind: "listening", service: "echo", address: echo.address };
      }
      case "sshd":
        return this.#sshd?.unavailable === undefined
          ? { kind: "sshd" }
          : {
              kind: "none",
              service: "sshd",
              reason: this.#sshd.unavailable.message,
              hint: this.#sshd.unavailable.hint,
            };
      case "tcp": {
        const target = port.target === undefined ? undefined : parseHostPort(port.target);
        if (target === undefined || !isLoopbackHost(target.host)) {
          return {
            kind: "none",
            service: "tcp",
            reason: `its target ${JSON.stringify(port.target ?? "")} is not a loopback host:port.`,
            hint: `Give ${instance.id} port ${port.port} a target such as 127.0.0.1:5432.`,
          };
        }
        return { kind: "listening", service: "tcp", address: target };
      }
    }
  }

  #writeDescription(stateDir: string): void {
    const sshd = this.#sshd;
    const description: LocalServicesDescription = {
      instances: this.#world.instances
        .filter((i) => i.ports.length > 0)
        .map((instance) => ({
          id: instance.id,
          name: instance.name,
          ports: instance.ports.map((port) => {
            const served = this.#served.get(key(instance, port.port));
            return {
              port: port.port,
              service: port.service,
              ...(served?.kind === "listening" ? { address: formatAddress(served.address) } : {}),
              ...(served?.kind === "none" ? { note: served.reason } : {}),
              ...(served?.kind === "sshd" ? { note: "the sandbox's sshd, started on first use" } : {}),
            };
          }),
        })),
      http: {
        files: GENERATED_FILES.map((f) => ({ name: f.name, path: `/files/${f.name}`, size: f.size })),
        servedByHeader: SERVED_BY_HEADER,
      },
      ssh:
        sshd === undefined
          ? null
          : sshd.login !== undefined
            ? { ...sshd.login, started: "on first use" }
            : { unavailable: sshd.unavailable?.message ?? "", hint: sshd.unavailable?.hint ?? "" },
      log: this.log.path,
    };
    writeFileAtomic(join(stateDir, LOCAL_SERVICES_JSON), `${JSON.stringify(description, null, 2)}\n`, 0o644);
  }
}

/** The names `ssh` may use for an instance's sshd: its id, Name tag, private IP and DNS name. */
function knownHostNames(instance: Instance): string[] {
  const names = [instance.id, instance.name, instance.privateIp, instance.privateDnsName].filter(
    (n) => n !== "",
  );
  return instance.ports
    .filter((p) => p.service === "sshd")
    .flatMap((p) => (p.port === 22 ? names : names.map((n) => `[${n}]:${p.port}`)));
}
