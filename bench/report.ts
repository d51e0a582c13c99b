/** The one table of a run, printed and written to `bench/results/<date>.md` with the machine in its header. */

export interface ScenarioRow {
  readonly scenario: string;
  /** Requests (or deliveries, or logins) per second; null where the scenario has no rate. */
  readonly rps: number | null;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly floorRps?: number | null;
  readonly floorP99?: number | null;
  /** The figure the bar is about, as text (`0.62 ×`, `1.04`, `every one recovered in 1.2 s`). */
  readonly ratio: string;
  readonly bar: string;
  /** null: not run (the note says why). */
  readonly met: boolean | null;
  readonly note?: string;
  /** Microseconds of CPU per request, the server's and the floor's, where both ran. */
  readonly cpuUs?: { readonly server: number; readonly floor: number };
}

export interface MachineHeader {
  readonly date: string;
  readonly mode: string;
  readonly cores: number;
  readonly cpu: string;
  readonly node: string;
  readonly database: string;
  readonly settings: readonly string[];
}

const figure = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);

export const formatTable = (rows: readonly ScenarioRow[]): string => {
  const lines = [
    '| scenario | requests/s | p50 ms | p99 ms | floor req/s | floor p99 ms | ratio | bar | met? |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
  ];
  for (const row of rows) {
    const met = row.met === null ? `not run${row.note ? `: ${row.note}` : ''}` : row.met ? 'yes' : `**no**${row.note ? ` (${row.note})` : ''}`;
    lines.push(
      `| ${row.scenario} | ${figure(row.rps)} | ${figure(row.p50, 1)} | ${figure(row.p99, 1)} | ${figure(row.floorRps)} | ${figure(row.floorP99, 1)} | ${row.ratio} | ${row.bar} | ${met} |`,
    );
  }
  return lines.join('\n');
};

/** Where a rate is short of the floor's, whether the server's own work is why (a rate also moves with the machine's other load). */
const cpuNote = (rows: readonly ScenarioRow[]): string[] => {
  const measured = rows.filter((row) => row.cpuUs !== undefined);
  if (measured.length === 0) return [];
  const each = measured.map((row) => `${row.scenario} ${row.cpuUs!.server.toFixed(0)} against ${row.cpuUs!.floor.toFixed(0)}`);
  return [`- CPU per request (user + system, from /proc), server against floor, in µs: ${each.join('; ')}.`];
};

export const formatReport = (header: MachineHeader, rows: readonly ScenarioRow[], notes: readonly string[]): string =>
  [
    `# Benchmark, ${header.date} (${header.mode})`,
    '',
    `- Machine: ${header.cores} cores (${header.cpu}), Node ${header.node}`,
    `- Database: ${header.database}`,
    ...header.settings.map((line) => `- ${line}`),
    '',
    formatTable(rows),
    '',
    ...cpuNote(rows),
    ...notes.map((line) => `- ${line}`),
    '',
  ].join('\n');
