// The error a construct raises for props that would synthesize a stack that cannot work or is unsafe.

export class ConstructPropsError extends Error {
  override readonly name = "ConstructPropsError";
  constructor(
    message: string,
    /** What to change in the props. */
    readonly hint: string,
  ) {
    super(`${message} ${hint}`);
  }
}
