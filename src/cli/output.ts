// Writing to stdout from the `steps` commands without holding a whole large output in memory: every
// write waits while the pipe is full, and text is gathered into chunks of about a megabyte.
import { once } from 'node:events';

const chunkSize = 1 << 20;

/** Writes to stdout, waiting whenever the pipe is full. */
export async function writeOut(data: string | Uint8Array): Promise<void> {
  if (typeof data === 'string') {
    if (!process.stdout.write(data)) await once(process.stdout, 'drain');
    return;
  }
  for (let at = 0; at < data.length; at += chunkSize) {
    if (!process.stdout.write(data.subarray(at, at + chunkSize))) {
      await once(process.stdout, 'drain');
    }
  }
}

/** Text for stdout, written out whenever a chunk has gathered (and by `flush`). */
export class ChunkedOutput {
  private parts: string[] = [];
  private size = 0;

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= chunkSize) await this.flush();
  }

  async flush(): Promise<void> {
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (text.length > 0) await writeOut(text);
  }
}
