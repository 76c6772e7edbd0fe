import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { get } from "node:http";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  LOCAL_SERVICES_JSON,
  LocalServices,
  type LocalServicesDescription,
} from "../../src/local-services/local-services.js";
import type { ServiceAddress } from "../../src/local-services/service-address.js";
import { defaultWorld } from "../../src/world/index.js";
import type { Instance } from "../../src/world/model.js";

function fetchText(address: ServiceAddress, path: string) {
  return new Promise<{ status: number; body: string; servedBy: unknown }>((resolve, reject) => {
    get({ host: address.host, port: address.port, path, agent: false }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body, servedBy: response.headers["x-tobira-instance"] }),
      );
    }).on("error", reject);
  });
}

describe("local services for a world's instance ports", () => {
  const world = defaultWorld();
  const webA = world.instances.find((i) => i.name === "web-a")!;
  const webB = world.instances.find((i) => i.name === "web-b")!;
  const dbA = world.instances.find((i) => i.name === "db-a")!;
  let stateDir: string;
  let services: LocalServices;
  /** A loopback TCP server standing for what a `tcp` port forwards to: it answers "pong". */
  const target = createServer((socket) => socket.end("pong"));
  let targetPort = 0;

  before(async () => {
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    const address = target.address();
    targetPort = address !== null && typeof address === "object" ? address.port : 0;
    webB.ports.push({ port: 7000, service: "tcp", target: `127.0.0.1:${targetPort}` });
    webB.ports.push({ port: 7001, service: "tcp", target: "10.0.9.9:80" });
    stateDir = mkdtempSync(join(tmpdir(), "tobira-local-services-test-"));
    services = await LocalServices.start(world, stateDir, { sshdPath: "/nonexistent/sshd" });
  });
  after(async () => {
    await services.close();
    await new Promise<void>((resolve) => target.close(() => resolve()));
    rmSync(stateDir, { recursive: true, force: true });
  });

  async function addressOf(instance: Instance, port: number): Promise<ServiceAddress> {
    const resolved = await services.resolve(instance, port);
    assert.ok(resolved.ok, resolved.ok ? "" : resolved.reason);
    return resolved.address;
  }

  it("serves each http instance from its own server, naming the instance", async () => {
    const a = await addressOf(webA, 80);
    const b = await addressOf(webB, 80);
    assert.notDeepEqual(a, b);
    assert.equal(a.host, "127.0.0.1");
    const health = await fetchText(b, "/health");
    assert.equal(health.status, 200);
    assert.equal(health.body, "ok i-0b1b0000000000001 web-b\n");
    assert.equal(health.servedBy, "i-0b1b0000000000001 (web-b)");
    const missing = await fetchText(a, "/files/nope.bin");
    assert.equal(missing.status, 404);
    assert.match(missing.body, /GET \/ lists the files/);
  });

  it("echoes on db-a:5432 until the peer half-closes", async () => {
    const address = await addressOf(dbA, 5432);
    const back = await new Promise<string>((resolve, reject) => {
      const socket = connect({ ...address, allowHalfOpen: true });
      let text = "";
      socket.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
      socket.end("hello echo");
    });
    assert.equal(back, "hello echo");
  });

  it("maps a tcp port to its loopback target and refuses any other target", async () => {
    assert.deepEqual(await addressOf(webB, 7000), { host: "127.0.0.1", port: targetPort });
    const bad = await services.resolve(webB, 7001);
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? "" : bad.reason, /"10\.0\.9\.9:80" is not a loopback host:port/);
  });

  it("says why nothing serves an undeclared port and sshd when it is missing", async () => {
    const undeclared = await services.resolve(dbA, 80);
    assert.equal(undeclared.ok, false);
    assert.match(
      undeclared.ok ? "" : undeclared.reason,
      /declares no port 80 for i-0a1a0000000000002 \(its ports: 5432\)/,
    );
    const ssh = await services.resolve(webA, 22);
    assert.equal(ssh.ok, false);
    assert.match(ssh.ok ? "" : ssh.reason, /Nothing serves web-a:22 \(sshd\): sshd is not installed/);
    assert.equal(services.sshLogin, undefined);
  });

  it("describes what serves where in local-services.json", () => {
    const path = join(stateDir, LOCAL_SERVICES_JSON);
    const description = JSON.parse(readFileSync(path, "utf8")) as LocalServicesDescription;
    const ports = description.instances.find((i) => i.id === webB.id)?.ports;
    assert.equal(ports?.find((p) => p.port === 7000)?.address, `127.0.0.1:${targetPort}`);
    assert.match(ports?.find((p) => p.port === 7001)?.note ?? "", /not a loopback/);
    assert.deepEqual(
      description.http.files.map((f) => f.path),
      ["/files/64KiB.bin", "/files/1MiB.bin", "/files/16MiB.bin", "/files/64MiB.bin"],
    );
    assert.match(JSON.stringify(description.ssh), /apt-get install openssh-server/);
    assert.equal(statSync(path).mode & 0o777, 0o644);
  });

  it("stops every server on close", async () => {
    const extra = await LocalServices.start(defaultWorld(), stateDir, { sshdPath: "/nonexistent/sshd" });
    const address = await (async () => {
      const r = await extra.resolve(extra.world.instances[0]!, 80);
      assert.ok(r.ok);
      return r.address;
    })();
    await extra.close();
    await assert.rejects(fetchText(address, "/health"), /ECONNREFUSED/);
    const after = await extra.resolve(extra.world.instances[0]!, 80);
    assert.equal(after.ok, false);
  });
});
