// The production build served by `vite preview` for the browser benchmarks, once it answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface PreviewServer {
  baseURL: string;
  process: ChildProcess;
}

export async function startPreview(dist: string, port: number): Promise<PreviewServer> {
  const server = spawn(
    join(import.meta.dirname, '..', 'node_modules', '.bin', 'vite'),
    ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const baseURL = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetch(baseURL);
      return { baseURL, process: server };
    } catch (error) {
      if (attempt > 100) {
        server.kill();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
