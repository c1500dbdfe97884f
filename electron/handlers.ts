// Maps every contract channel to the service that answers it. The type makes a
// missing channel a compile error; requests arrive here already parsed.
import type { Handlers } from './dispatch';
import { appInfo } from './services/app/app-info';
import { hashPassword, wifiPsk } from './services/bootconfig/secrets';
import { clusterKey, userPublicKeys } from './services/bootconfig/ssh-keys';
import { ejectDrive } from './services/drives/eject';
import { inspectImage } from './services/images/inspect-image';
import { UserError } from './services/user-error';
import type { Services } from './services';
import { fleetHandlers } from './handlers-fleet';

/** What only the desktop shell can do (native dialogs); the dev bridge has none. */
export interface ShellCapabilities {
  pickImage?: () => Promise<string | undefined>;
  pickPlaybook?: () => Promise<string | undefined>;
}

export function createHandlers(services: Services, shell: ShellCapabilities = {}): Handlers {
  return {
    'app:info': () => appInfo(services.dataDir, services.transport),
    'app:notices': () => services.notices.list(),
    'settings:get': () => services.settings.get(),
    'settings:update': (patch) => services.settings.update(patch),
    'drives:list': async (req) => ({ drives: await services.drives.view(req) }),
    'drives:eject': async ({ device }) => ({ message: await ejectDrive(device) }),
    'images:inspect': ({ path }) => inspectImage(path),
    'boot:customize-image': ({ image, settings }) => services.flash.customizeInPlace(image, settings),
    'boot:profiles': () => services.profiles.list(),
    'boot:save-profile': ({ name, settings }) => services.profiles.save(name, settings),
    'boot:delete-profile': ({ name }) => services.profiles.remove(name),
    'boot:ssh-keys': () => userPublicKeys(),
    'boot:cluster-key': () => clusterKey(services.dataDir),
    'boot:hash-secrets': ({ password, wifi }) => ({
      passwordHash: password ? hashPassword(password) : undefined,
      psk: wifi ? wifiPsk(wifi.ssid, wifi.passphrase) : undefined,
    }),
    'images:pick': async () => {
      if (!shell.pickImage) throw new UserError('The file dialog is only available in the desktop app; type or paste the image path instead.');
      return { path: await shell.pickImage() };
    },
    'catalogue:list': ({ refresh }) => services.catalogue.list(refresh),
    'flash:start': (req) => services.flash.start(req),
    'flash:cancel': ({ jobId }) => ({ cancelled: services.flash.cancel(jobId) }),
    'flash:jobs': () => services.flash.list(),
    ...fleetHandlers(services, shell),
  };
}
