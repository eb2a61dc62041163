import { Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * Collects values and emits them as one array per tick of `scheduler` (an animation frame), only
 * when there is something to emit, so a burst of tokens costs one render. Whatever is queued when
 * the source ends is emitted before the end.
 */
export function bufferPerFrame<T>(scheduler: SchedulerLike): OperatorFunction<T, T[]> {
  return (source) =>
    new Observable<T[]>((subscriber) => {
      let queue: T[] = [];
      let flushPending = false;
      let scheduled: Subscription | undefined;

      const flush = () => {
        flushPending = false;
        const batch = queue;
        queue = [];
        if (batch.length > 0) subscriber.next(batch);
      };

      const subscription = source.subscribe({
        next: (value) => {
          queue.push(value);
          if (flushPending) return;
          flushPending = true;
          scheduled = scheduler.schedule(flush);
        },
        error: (error: unknown) => {
          scheduled?.unsubscribe();
          flush();
          subscriber.error(error);
        },
        complete: () => {
          scheduled?.unsubscribe();
          flush();
          subscriber.complete();
        },
      });

      return () => {
        scheduled?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
