// What `tobira cp` tells the user when ssh itself could not reach the command: matched on OpenSSH's own
// messages, copied here as OpenSSH 9 prints them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sshFailureHint } from "../../src/sessions/copy/ssh-client.js";

const host = { hostname: "web-a", port: 22, hostKeyAlias: "web-a" };

test("an unknown or changed host key names the alias it is checked under", () => {
  const unknown = sshFailureHint(
    "No ED25519 host key is known for web-a and you have requested strict checking.\r\nHost key verification failed.\r\n",
    host,
  );
  assert.match(unknown ?? "", /host key under the name web-a/);
  assert.match(unknown ?? "", /known_hosts/);
  const changed = sshFailureHint(
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n",
    { ...host, hostKeyAlias: "[web-a]:2222" },
  );
  assert.match(changed ?? "", /under the name \[web-a\]:2222/);
});

test("a refused login, and an sshd that hangs up, each get their own hint", () => {
  assert.match(
    sshFailureHint("os-user1@127.0.0.1: Permission denied (publickey,password).\r\n", host) ?? "",
    /could not log in.+ssh-agent or -i FILE/,
  );
  assert.match(
    sshFailureHint("kex_exchange_identification: read: Connection reset by peer\r\n", host) ?? "",
    /sshd closed the connection/,
  );
  assert.match(sshFailureHint("Connection closed by 127.0.0.1 port 41873\r\n", host) ?? "", /sshd closed/);
});

test("the remote command's own errors are not ssh's", () => {
  assert.equal(sshFailureHint("dd: failed to open '/srv/x': Permission denied\n", host), undefined);
  assert.equal(sshFailureHint("", host), undefined);
});
