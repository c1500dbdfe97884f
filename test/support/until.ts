// Polls a condition until it yields a value, or fails naming what it waited for.
export function until<T>(what: string, check: () => T | undefined | false, timeoutMs: number, everyMs = 10): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const v = check();
      if (v) return resolve(v);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, everyMs);
    };
    tick();
  });
}
