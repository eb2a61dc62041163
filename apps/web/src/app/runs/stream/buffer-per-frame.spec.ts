import { Subject, VirtualTimeScheduler, queueScheduler } from 'rxjs';
import { bufferPerFrame } from './buffer-per-frame';

describe(bufferPerFrame.name, () => {
  function setUp() {
    const frames = new VirtualTimeScheduler();
    const source = new Subject<string>();
    const batches: string[][] = [];
    const ends: string[] = [];
    const subscription = source.pipe(bufferPerFrame(frames)).subscribe({
      next: (batch) => batches.push(batch),
      error: (error: unknown) => ends.push(`error: ${String(error)}`),
      complete: () => ends.push('complete'),
    });
    return { frames, source, batches, ends, subscription };
  }

  it('emits a burst as one batch at the next frame', () => {
    const { frames, source, batches } = setUp();

    source.next('a');
    source.next('b');
    source.next('c');
    expect(batches).toEqual([]);

    frames.flush();
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('emits nothing in a frame with nothing queued', () => {
    const { frames, source, batches } = setUp();

    source.next('a');
    frames.flush();
    frames.flush();
    source.next('b');
    frames.flush();

    expect(batches).toEqual([['a'], ['b']]);
  });

  it('emits what is queued before it completes or fails', () => {
    const completed = setUp();
    completed.source.next('last');
    completed.source.complete();
    expect(completed.batches).toEqual([['last']]);
    expect(completed.ends).toEqual(['complete']);

    const failed = setUp();
    failed.source.next('last');
    failed.source.error('boom');
    expect(failed.batches).toEqual([['last']]);
    expect(failed.ends).toEqual(['error: boom']);
  });

  it('drops the pending frame when unsubscribed', () => {
    const { frames, source, batches, subscription } = setUp();

    source.next('a');
    subscription.unsubscribe();
    frames.flush();

    expect(batches).toEqual([]);
    expect(source.observed).toBe(false);
  });

  it('emits every value at once with a synchronous scheduler', () => {
    const source = new Subject<string>();
    const batches: string[][] = [];
    source.pipe(bufferPerFrame(queueScheduler)).subscribe((batch) => batches.push(batch));

    source.next('a');
    source.next('b');

    expect(batches).toEqual([['a'], ['b']]);
  });
});
