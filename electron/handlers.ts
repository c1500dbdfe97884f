// Maps every contract channel to the service that answers it. The type makes a
// missing channel a compile error; requests arrive here already parsed.
import type { Handlers } from './dispatch';
import { appInfo } from './services/app/app-info';
import { inspectImage } from './services/images/inspect-image';
import type { Services } from './services';

export function createHandlers(services: Services): Handlers {
  return {
    'app:info': () => appInfo(services.dataDir, services.transport),
    'app:notices': () => services.notices.list(),
    'settings:get': () => services.settings.get(),
    'settings:update': (patch) => services.settings.update(patch),
    'drives:list': async (req) => ({ drives: await services.drives.view(req) }),
    'images:inspect': ({ path }) => inspectImage(path),
    'flash:start': (req) => services.flash.start(req),
    'flash:cancel': ({ jobId }) => ({ cancelled: services.flash.cancel(jobId) }),
    'flash:jobs': () => services.flash.list(),
  };
}
