// `npx cdk synth` in examples/article-stack, as a CDK user runs it: it succeeds with no network (notices,
// telemetry and the like are off in cdk.json) and writes the same template as the library path.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { synthesizeArticleStack } from "../../../examples/article-stack/synth.js";

const exampleDir = fileURLToPath(new URL("../../../examples/article-stack/", import.meta.url));
// The telemetry sender is a detached process that posts after the CLI has exited: give it time to show.
const STRAY_REQUEST_GRACE_MS = 3000;

/** A loopback HTTP proxy that answers nothing and writes down every host it was asked for. */
async function recordingProxy(): Promise<{ url: string; asked: string[]; server: Server }> {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(`${request.method} ${request.url}`);
    response.writeHead(502).end();
  });
  server.on("connect", (request, socket) => {
    asked.push(`CONNECT ${request.url}`);
    socket.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked, server };
}

type TemplateJson = { Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }> };

/** The template without the construct paths the CLI adds as resource metadata (for the console's tree). */
function withoutPathMetadata(template: TemplateJson): TemplateJson {
  for (const resource of Object.values(template.Resources)) {
    const { "aws:cdk:path": _path, ...rest } = resource.Metadata ?? {};
    if (Object.keys(rest).length === 0) delete resource.Metadata;
    else resource.Metadata = rest;
  }
  return template;
}

function resourceCounts(template: TemplateJson): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { Type } of Object.values(template.Resources)) counts[Type] = (counts[Type] ?? 0) + 1;
  return counts;
}

describe("npx cdk synth in examples/article-stack", () => {
  const work = mkdtempSync(join(tmpdir(), "tobira-cdk-cli-"));
  const cliTemplate = () =>
    JSON.parse(
      readFileSync(join(work, "cdk.out", "OperationUsersStack.template.json"), "utf8"),
    ) as TemplateJson;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let cli: { stdout: string; stderr: string };

  before(async () => {
    proxy = await recordingProxy();
    // Async, not spawnSync: the proxy answers from this process's event loop.
    cli = await promisify(execFile)("npx", ["cdk", "synth", "--output", join(work, "cdk.out"), "--quiet"], {
      cwd: exampleDir,
      timeout: 180_000,
      env: {
        ...process.env,
        // Every request the CLI (or a process it starts) makes goes to the recording proxy, and none is
        // answered from a cache a previous run left in ~/.cdk.
        HTTPS_PROXY: proxy.url,
        HTTP_PROXY: proxy.url,
        NO_PROXY: "",
        CDK_HOME: join(work, "cdk-home"),
        // npm's own update check (off in the developers' ~/.npmrc, not necessarily in CI's) is not the CLI's.
        npm_config_update_notifier: "false",
      },
    });
    await new Promise((resolve) => setTimeout(resolve, STRAY_REQUEST_GRACE_MS));
  });
  after(() => {
    proxy?.server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("asks the network for nothing: no notices, no telemetry", () => {
    assert.deepEqual(proxy.asked, []);
    assert.doesNotMatch(cli.stderr, /error|could not/i);
  });

  it("writes the stack's template with the expected resources", () => {
    const counts = resourceCounts(cliTemplate());
    assert.deepEqual(
      {
        group: counts["AWS::IAM::Group"],
        users: counts["AWS::IAM::User"],
        roles: counts["AWS::IAM::Role"],
        key: counts["AWS::KMS::Key"],
        instances: counts["AWS::EC2::Instance"],
        preferences: counts["Custom::SessionManagerPreferences"],
        metadata: counts["AWS::CDK::Metadata"],
      },
      // Roles: three session roles, the instances' role and the preferences handler's.
      { group: 1, users: 2, roles: 5, key: 1, instances: 3, preferences: 1, metadata: undefined },
    );
  });

  it("writes the template the library path (synth.ts, the demo, the sandbox tests) writes", () => {
    const libraryTemplate = readFileSync(synthesizeArticleStack(join(work, "library.out")), "utf8");
    assert.deepEqual(withoutPathMetadata(cliTemplate()), JSON.parse(libraryTemplate));
  });
});
