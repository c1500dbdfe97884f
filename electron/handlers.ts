// Maps every contract channel to the service that answers it. The type makes a
// missing channel a compile error; requests arrive here already parsed.
import type { Handlers } from './dispatch';
import { appInfo } from './services/app/app-info';
import type { Services } from './services';

export function createHandlers(services: Services): Handlers {
  return {
    'app:info': () => appInfo(services.dataDir, services.transport),
    'app:notices': () => services.notices.list(),
    'settings:get': () => services.settings.get(),
    'settings:update': (patch) => services.settings.update(patch),
  };
}
