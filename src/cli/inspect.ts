export async function runInspect(_args: string[]): Promise<void> {
  throw new Error('inspect: not yet available');
}
