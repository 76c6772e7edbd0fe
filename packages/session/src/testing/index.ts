// @tobira/session/testing: fault injection and in-memory plumbing for tests of anything built on the data
// channel (CLI, sandbox): a lossy, reordering gateway stand-in that cuts connections on command, a
// seeded RNG, and socket-like in-memory byte stream pairs.

export {
  type DirectionStats,
  FaultyRelay,
  type FaultyRelayOptions,
  type FrameFaults,
  type RelayStats,
} from "./faulty-relay.js";
export { memoryDuplexPair } from "./memory-duplex-pair.js";
export { seededRandom } from "./seeded-random.js";
