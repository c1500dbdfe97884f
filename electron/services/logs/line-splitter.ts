// Stream chunks to whole lines: an ssh channel cuts its data anywhere, also in
// the middle of a multi-byte character.
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  /** Complete lines in this chunk (without their newline); the tail waits for the next chunk. */
  push(chunk: Buffer): string[] {
    const text = this.rest + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.rest = lines.pop()!;
    return lines;
  }

  /** Whatever is left once the stream has ended. */
  end(): string[] {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    return text ? [text] : [];
  }
}
