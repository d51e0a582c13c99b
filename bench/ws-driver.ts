/** The harness's side of the WebSocket clients' process: fork it, send it commands, await answers. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WsCommand } from './ws-clients.js';

export interface WsDriver {
  call<T>(command: WsCommand): Promise<T>;
  close(): Promise<void>;
}

export const startWsClients = (): WsDriver => {
  const child: ChildProcess = fork(fileURLToPath(new URL('./ws-clients.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) entry?.reject(new Error(`ws clients: ${message.error}`));
    else entry?.resolve(message.result);
  });
  child.on('exit', (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`the ws clients' process exited (${code})`));
    waiting.clear();
  });
  return {
    call: <T>(command: WsCommand) =>
      new Promise<T>((resolve, reject) => {
        const id = (nextId += 1);
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, command });
      }),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ id: 0, command: { cmd: 'close' } });
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
};
