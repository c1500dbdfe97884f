// Notices for the user that arise outside any request (a settings file found
// damaged at start-up). Kept so a window that opens later still sees them.
import type { Notice } from '../../../shared/contract';
import type { Emit } from '../event-hub';

export class NoticeBoard {
  private readonly notices: Notice[] = [];
  constructor(private readonly emit: Emit) {}

  post(notice: Notice): void {
    this.notices.push(notice);
    this.emit('app:notice', notice);
  }

  list(): Notice[] {
    return [...this.notices];
  }
}
