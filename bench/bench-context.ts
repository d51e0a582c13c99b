import type { ChildServer } from './child-server.js';
import type { Seeded } from './seed.js';

/** What every scenario gets: the two servers, the seeded data, tokens and the run's timing. */
export interface BenchContext {
  readonly server: ChildServer;
  /** null on a run without one (it failed to start); scenarios then leave the floor columns empty. */
  readonly floor: ChildServer | null;
  readonly seeded: Seeded;
  /** The access token of the seeded user at this index (logged in through the API). */
  readonly tokenOf: (userIndex: number) => string;
  readonly quick: boolean;
  /** Seconds of each measured run, and of the warm-up before a scenario's first. */
  readonly durationS: number;
  readonly warmupS: number;
  /** Measured runs of each server, alternating server and floor. */
  readonly rounds: number;
  readonly connections: number;
  readonly cores: number;
  /** Unique per run: client ids and texts never repeat across runs on the same database. */
  readonly runId: string;
  readonly progress: (line: string) => void;
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
