// The service clock: learned from Date headers (RFC 7231, one-second resolution), steady against their noise.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ServiceClock } from "../../src/sessions/port/service-clock.js";

test("an hour ahead, learned from one header; sub-second noise is ignored; garbage changes nothing", () => {
  let local = Date.parse("2026-01-01T00:00:00.400Z");
  const clock = new ServiceClock(() => local);
  assert.equal(clock.now(), local);
  clock.observe("Thu, 01 Jan 2026 01:01:00 GMT");
  assert.equal(clock.offsetMs, 3_659_600);
  local += 10_000;
  clock.observe("Thu, 01 Jan 2026 01:01:10 GMT"); // 0.4 s off by truncation: same offset
  assert.equal(clock.offsetMs, 3_659_600);
  clock.observe("not a date");
  clock.observe(undefined);
  assert.equal(clock.now(), Date.parse("2026-01-01T01:01:10.000Z"));
  clock.observe("Thu, 01 Jan 2026 00:00:10 GMT"); // the service went back to our time
  assert.equal(clock.offsetMs, -400);
});

test("watch() reads the Date header of answers and of errors", async () => {
  const local = Date.parse("2026-01-01T00:00:00.000Z");
  const clock = new ServiceClock(() => local);
  type Handler = (args: unknown) => Promise<unknown>;
  let middleware: ((next: Handler) => Handler) | undefined;
  clock.watch({ middlewareStack: { add: (m: unknown) => (middleware = m as typeof middleware) } } as never);
  const wrapped = middleware!(async () => ({
    response: { headers: { date: "Thu, 01 Jan 2026 02:00:00 GMT" } },
  }));
  await wrapped({});
  assert.equal(clock.offsetMs, 2 * 3_600_000);
  const failing = middleware!(async () => {
    throw Object.assign(new Error("ExpiredTokenException"), {
      $response: { headers: { date: "Thu, 01 Jan 2026 03:00:00 GMT" } },
    });
  });
  await assert.rejects(failing({}), /ExpiredTokenException/);
  assert.equal(clock.offsetMs, 3 * 3_600_000);
});
