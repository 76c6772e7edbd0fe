// Writes a machine-readable result for `--json`: one pretty-printed JSON document on stdout, nothing else there.

export function writeJson(value: unknown, stream: NodeJS.WritableStream = process.stdout): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
