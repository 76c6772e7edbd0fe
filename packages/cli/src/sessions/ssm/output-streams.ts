// Where a session command writes: the process's stdout and stderr unless a caller (a test, a program using the
// library) hands its own.

export interface OutputStreams {
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

export function outputStreams(options: OutputStreams): {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
} {
  return { stdout: options.stdout ?? process.stdout, stderr: options.stderr ?? process.stderr };
}
