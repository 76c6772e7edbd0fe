// The one command string AWS-StartNonInteractiveCommand takes, from the argv after `--`: a single argument is
// taken as a shell command line as it is; several are quoted for a POSIX shell, so `-- sh -c 'a; b'` runs
// exactly `sh` with `-c` and `a; b`.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteForShell(argument: string): string {
  if (argument !== "" && SAFE.test(argument)) return argument;
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

export function remoteCommandLine(argv: readonly string[]): string {
  if (argv.length === 1) return argv[0]!;
  return argv.map(quoteForShell).join(" ");
}
