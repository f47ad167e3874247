import { createSmokeActivities } from './smoke';

/** What activities need from the outside world; the worker builds it once, tests pass fakes. */
export interface ActivityDependencies {
  httpTimeoutMs: number;
}

/** Every activity the worker registers; add a family by spreading its factory here. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createSmokeActivities({ httpTimeoutMs: deps.httpTimeoutMs }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
