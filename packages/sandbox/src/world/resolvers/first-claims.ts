// Who first claimed each key (an id, a name, an address) among a world's entities, so a duplicate can name it.

export class FirstClaims<Owner> {
  private readonly owners = new Map<string, Owner>();

  /** The earlier owner of `key`, if any; otherwise `key` becomes `owner`'s. */
  claim(key: string, owner: Owner): Owner | undefined {
    const first = this.owners.get(key);
    if (first === undefined) this.owners.set(key, owner);
    return first;
  }
}
