import { InjectionToken } from '@angular/core';
import { type SchedulerLike, animationFrameScheduler } from 'rxjs';

/** When queued stream events are applied to the page: once per animation frame; tests use another scheduler. */
export const FRAME_SCHEDULER = new InjectionToken<SchedulerLike>('FrameScheduler', {
  providedIn: 'root',
  factory: () => animationFrameScheduler,
});
