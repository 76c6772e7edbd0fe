import { startSessionFixture, worldVariant } from "./session-fixture.ts";
const world = worldVariant((w) => { for (const p of w.sessionPreferences) p.kmsKeyId = ""; });
const fx = await startSessionFixture({ label: "smoke", world });
const r = fx.tobira(["shell", "web-a", "--profile", "project-a"], { input: 'echo "piped-$USER"\nfalse\n', env: { TOBIRA_DEBUG: "1" } });
const t = setTimeout(async () => { console.log("TIMEOUT"); const { execSync } = await import("node:child_process"); console.log(execSync(`ls -R ${fx.stateDir}; cat ${fx.stateDir}/sessions/* 2>/dev/null | head -50 || true`).toString()); await fx.close(); process.exit(1); }, 20000);
const res = await r; clearTimeout(t);
console.log(JSON.stringify(res)); await fx.close();
