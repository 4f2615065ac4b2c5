import { describe, expect, it } from 'vitest';
import { planWorkers, SegmentationClient, type JobProgress } from './client';
import type { WorkerRequest, WorkerResponse } from './protocol';

/** A stand-in Worker: records what the page posts and lets the test answer as the worker would. */
class FakeWorker {
  readonly sent: WorkerRequest[] = [];
  private listeners: ((e: MessageEvent<WorkerResponse>) => void)[] = [];
  terminated = false;
  postMessage(m: WorkerRequest): void {
    this.sent.push(m);
  }
  addEventListener(type: string, fn: (e: MessageEvent<WorkerResponse>) => void): void {
    if (type === 'message') this.listeners.push(fn);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(m: WorkerResponse): void {
    for (const fn of this.listeners) fn({ data: m } as MessageEvent<WorkerResponse>);
  }
  lastSegment(): Extract<WorkerRequest, { type: 'segment' }> {
    const s = this.sent.filter((m) => m.type === 'segment');
    return s[s.length - 1] as Extract<WorkerRequest, { type: 'segment' }>;
  }
}

function pool(n: number): { client: SegmentationClient; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  const client = new SegmentationClient(
    () => {},
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    { workers: n, threadsPerWorker: 1 },
  );
  return { client, workers };
}

const progress = (requestId: number, done: number, total: number, finished = false): WorkerResponse => ({
  type: 'progress',
  requestId,
  done,
  total,
  elapsedMs: 10 * done,
  finished,
  cancelled: false,
});

describe('planWorkers', () => {
  it('puts one single-threaded worker on each of two cores, and splits larger machines between two workers', () => {
    expect(planWorkers(1)).toEqual({ workers: 1, threadsPerWorker: 1 });
    expect(planWorkers(2)).toEqual({ workers: 2, threadsPerWorker: 1 });
    expect(planWorkers(8)).toEqual({ workers: 2, threadsPerWorker: 4 });
    expect(planWorkers(32)).toEqual({ workers: 2, threadsPerWorker: 8 });
    expect(planWorkers(2, 1)).toEqual({ workers: 1, threadsPerWorker: 2 });
  });
});

describe('SegmentationClient (a pool of workers)', () => {
  it('loads the model in every worker with single-threaded WASM and reports the pool', async () => {
    const { client, workers } = pool(2);
    const loading = client.loadModel('student@1', 'http://x/models/student/1/');
    for (const w of workers) {
      const load = w.sent.find((m) => m.type === 'load-model');
      expect(load).toMatchObject({ backend: { name: 'wasm', threads: false } });
      w.reply({
        type: 'ready',
        modelKey: 'student@1',
        manifest: {} as never,
        backend: { name: 'wasm', simd: true, threads: 1, crossOriginIsolated: true },
        loadMs: workers.indexOf(w) === 0 ? 5 : 9,
        warmupMs: 1,
      });
    }
    const ready = await loading;
    expect(ready.backend.workers).toBe(2);
    expect(ready.loadMs).toBe(9);
  });

  it('deals the frames out in turn, sums progress, and finishes when every worker has', () => {
    const { client, workers } = pool(2);
    const seen: JobProgress[] = [];
    const frames: number[] = [];
    client.segment('s', 'm', [3, 4, 0, 1, 2], {
      onResult: (r) => frames.push(r.frame),
      onProgress: (p) => seen.push(p),
    });
    const [a, b] = workers.map((w) => w.lastSegment());
    expect(a!.frames).toEqual([3, 0, 2]);
    expect(b!.frames).toEqual([4, 1]);
    workers[1]!.reply({
      type: 'result',
      requestId: b!.requestId,
      seriesKey: 's',
      modelKey: 'm',
      frame: 4,
      labels: new Uint8Array(1),
      ms: 1,
      stages: { prepareMs: 0, forwardMs: 0, toLabelsMs: 0, postprocessMs: 0, planMs: 0 },
      postedAtMs: 0,
    });
    workers[1]!.reply(progress(b!.requestId, 1, 2));
    workers[0]!.reply(progress(a!.requestId, 3, 3, true));
    expect(frames).toEqual([4]);
    expect(seen[seen.length - 1]).toMatchObject({ done: 4, total: 5, finished: false });
    workers[1]!.reply(progress(b!.requestId, 2, 2, true));
    expect(seen[seen.length - 1]).toMatchObject({ done: 5, total: 5, finished: true, elapsedMs: 30 });
  });

  it('sends a prioritised frame to the worker that has it', () => {
    const { client, workers } = pool(2);
    const id = client.segment('s', 'm', [0, 1, 2, 3], { onResult: () => {} });
    client.prioritise(id, 3);
    expect(workers[0]!.sent.some((m) => m.type === 'prioritise')).toBe(false);
    expect(workers[1]!.sent.filter((m) => m.type === 'prioritise')).toEqual([
      { type: 'prioritise', requestId: workers[1]!.lastSegment().requestId, frame: 3 },
    ]);
  });

  it('reports a worker error once and cancels the other workers', () => {
    const { client, workers } = pool(2);
    const errors: string[] = [];
    client.segment('s', 'm', [0, 1, 2, 3], { onResult: () => {}, onError: (e) => errors.push(e) });
    const a = workers[0]!.lastSegment();
    workers[0]!.reply({ type: 'error', requestId: a.requestId, message: 'out of memory' });
    expect(errors).toEqual(['out of memory']);
    expect(workers[1]!.sent.filter((m) => m.type === 'cancel')).toHaveLength(1);
  });

  it('a job with fewer frames than workers leaves the others idle, cancelling what they ran', () => {
    const { client, workers } = pool(2);
    client.segment('s', 'm', [0, 1, 2, 3], { onResult: () => {} });
    const seen: JobProgress[] = [];
    client.segment('s', 'm', [5], { onResult: () => {}, onProgress: (p) => seen.push(p) });
    expect(workers[0]!.lastSegment().frames).toEqual([5]);
    expect(workers[1]!.sent.filter((m) => m.type === 'cancel')).toHaveLength(1);
    workers[0]!.reply(progress(workers[0]!.lastSegment().requestId, 1, 1, true));
    expect(seen[seen.length - 1]).toMatchObject({ done: 1, total: 1, finished: true });
  });

  it('replaces a worker whose backend ran out of memory, sending it the models and the series again', () => {
    const { client, workers } = pool(1);
    void client.loadModel('teacher@1', 'http://x/models/teacher/1/').catch(() => {});
    const volume = { data: new Float32Array(4) } as never;
    client.setVolume('s', volume);
    const errors: string[] = [];
    client.segment('s', 'teacher@1', [0, 1], { onResult: () => {}, onError: (e) => errors.push(e) });
    const old = workers[0]!;
    old.reply({ type: 'error', requestId: old.lastSegment().requestId, message: 'teacher ran out of memory', backendLost: true });
    expect(errors).toEqual(['teacher ran out of memory']);
    expect(old.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(client.restarts).toBe(1);
    const fresh = workers[1]!;
    expect(fresh.sent.map((m) => m.type)).toEqual(['load-model', 'set-volume']);
    expect(fresh.sent[0]).toMatchObject({ modelKey: 'teacher@1', modelUrl: 'http://x/models/teacher/1/' });
    // Messages of the replaced worker are ignored; the next job goes to the fresh one.
    old.reply({ type: 'error', message: 'late' });
    client.segment('s', 'teacher@1', [1], { onResult: () => {}, onError: (e) => errors.push(e) });
    expect(fresh.lastSegment().frames).toEqual([1]);
    expect(errors).toHaveLength(1);
  });

  it('an ordinary job error keeps the worker', () => {
    const { client, workers } = pool(1);
    client.segment('s', 'm', [0], { onResult: () => {}, onError: () => {} });
    workers[0]!.reply({ type: 'error', requestId: workers[0]!.lastSegment().requestId, message: 'the series is gone' });
    expect(workers).toHaveLength(1);
    expect(client.restarts).toBe(0);
  });
});
