/** What taking a place among a user's open streams answered: the place, or how many they hold. */
export type StreamSlotAnswer = { taken: true; release: () => void } | { taken: false; open: number };

/**
 * The per-user cap on open event streams (`MAX_OPEN_STREAMS_PER_USER`): counted in this process
 * (`LocalStreamSlots`), or across the instances of the shared mode (`RedisStreamSlots`).
 */
export abstract class StreamSlots {
  /** Takes one of the user's places; `release` gives it back (once, however often it is called). */
  abstract take(username: string): Promise<StreamSlotAnswer>;
}

/** The cap counted by this process alone. */
export class LocalStreamSlots extends StreamSlots {
  private readonly openByUser = new Map<string, number>();

  constructor(private readonly cap: number) {
    super();
  }

  take(username: string): Promise<StreamSlotAnswer> {
    const open = this.openByUser.get(username) ?? 0;
    if (open >= this.cap) return Promise.resolve({ taken: false, open });
    this.openByUser.set(username, open + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.openByUser.get(username) ?? 1) - 1;
      if (left > 0) this.openByUser.set(username, left);
      else this.openByUser.delete(username);
    };
    return Promise.resolve({ taken: true, release });
  }
}
