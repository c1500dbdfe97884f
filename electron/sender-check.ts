// Decides whether an IPC message comes from Bramble's own page. The renderer is
// served from the privileged `app://bramble` scheme; anything else (an iframe, a
// page that was navigated away, a devtools extension) is refused.
export const APP_SCHEME = 'app';
export const APP_HOST = 'bramble';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export interface FrameLike {
  url: string;
  /** The frame's parent; null/undefined for a top-level frame. */
  parent?: FrameLike | null;
  processId?: number;
  routingId?: number;
}

/** Electron hands out frame objects per call; a frame is identified by process and routing id. */
export function isSameFrame(a: FrameLike | null | undefined, b: FrameLike | null | undefined): boolean {
  return !!a && !!b && a.processId !== undefined && a.processId === b.processId && a.routingId === b.routingId;
}

export function isTrustedSender(frame: FrameLike | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent) return false;
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}
