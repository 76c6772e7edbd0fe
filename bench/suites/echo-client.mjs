// One echo through a forwarded port, as the loss and pacing suites measure it: random bytes written (then a
// half-close), everything read back and compared. Two rates: from the first write to the last byte back
// (set-up of the stream included), and the steady one from the first byte back to the last.
import { createHash, randomBytes } from "node:crypto";
import { connect } from "node:net";

const sha = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** @returns {Promise<{ intact: boolean, received: number, bytesPerSecond: number, steadyBytesPerSecond: number }>} */
export function echoThroughPort(port, size) {
  const data = randomBytes(size);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    const chunks = [];
    let received = 0;
    let started = 0;
    let first;
    socket.on("data", (chunk) => {
      first ??= { at: performance.now(), bytes: chunk.length };
      chunks.push(chunk);
      received += chunk.length;
    });
    socket.on("end", () => {
      const last = performance.now();
      socket.end();
      const echoed = Buffer.concat(chunks);
      resolve({
        intact: sha(echoed) === sha(data),
        received,
        bytesPerSecond: (received / (last - started)) * 1000,
        steadyBytesPerSecond: first ? ((received - first.bytes) / (last - first.at)) * 1000 : 0,
      });
    });
    socket.on("error", reject);
    socket.on("connect", () => {
      started = performance.now();
      socket.end(data);
    });
  });
}
