import { DOCUMENT, InjectionToken, inject } from '@angular/core';

/** What the app needs of the `EventSource` constructor. */
export type EventSourceConstructor = new (url: string, init?: EventSourceInit) => EventSource;

/** The browser's `EventSource`; unit tests provide a fake. */
export const EVENT_SOURCE = new InjectionToken<EventSourceConstructor>('EventSource', {
  providedIn: 'root',
  factory: () => {
    const constructor = inject(DOCUMENT).defaultView?.EventSource;
    if (!constructor) throw new Error('This browser has no EventSource');
    return constructor;
  },
});
