// One echo through a forwarded port, as the loss and pacing suites measure it: random bytes written (then a
// half-close), everything read back and compared, the rate taken from the first write to the last byte back.
import { createHash, randomBytes } from "node:crypto";
import { connect } from "node:net";

const sha = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** @returns {Promise<{ intact: boolean, received: number, bytesPerSecond: number }>} */
export function echoThroughPort(port, size) {
  const data = randomBytes(size);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    const chunks = [];
    let received = 0;
    let started = 0;
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      received += chunk.length;
    });
    socket.on("end", () => {
      const seconds = (performance.now() - started) / 1000;
      socket.end();
      const echoed = Buffer.concat(chunks);
      resolve({ intact: sha(echoed) === sha(data), received, bytesPerSecond: received / seconds });
    });
    socket.on("error", reject);
    socket.on("connect", () => {
      started = performance.now();
      socket.end(data);
    });
  });
}
