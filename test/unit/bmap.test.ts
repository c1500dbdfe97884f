// Block maps as bmaptool writes them, and the damaged ones Bramble must refuse.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseBmap } from '../../electron/services/images/bmap';
import { BmapChecksums, SegmentPlanner } from '../../electron/services/flash/segments';

function bmapXml(ranges: { text: string; chksum?: string }[], imageSize = 40960, sign = true): string {
  const body = (sum: string) => `<?xml version="1.0" ?>
<bmap version="2.0">
    <ImageSize> ${imageSize} </ImageSize>
    <BlockSize> 4096 </BlockSize>
    <BlocksCount> ${Math.ceil(imageSize / 4096)} </BlocksCount>
    <MappedBlocksCount> 3 </MappedBlocksCount>
    <ChecksumType> sha256 </ChecksumType>
    <BmapFileChecksum> ${sum} </BmapFileChecksum>
    <BlockMap>
${ranges.map((r) => `        <Range${r.chksum ? ` chksum="${r.chksum}"` : ''}> ${r.text} </Range>`).join('\n')}
    </BlockMap>
</bmap>
`;
  const zero = '0'.repeat(64);
  if (!sign) return body('f'.repeat(64));
  return body(createHash('sha256').update(body(zero)).digest('hex'));
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('bmap files', () => {
  it('reads ranges as byte offsets, single blocks included', () => {
    const bmap = parseBmap(bmapXml([{ text: '0-1' }, { text: '5' }]));
    expect(bmap).toMatchObject({ imageSize: 40960, blockSize: 4096, checksumType: 'sha256', mappedBytes: 12288 });
    expect(bmap.ranges).toEqual([
      { start: 0, length: 8192, checksum: undefined },
      { start: 20480, length: 4096, checksum: undefined },
    ]);
  });

  it('refuses a bmap whose own checksum is wrong, or that is not a bmap', () => {
    expect(() => parseBmap(bmapXml([{ text: '0-1' }], 40960, false), 'x.bmap')).toThrow('x.bmap is corrupt: its own checksum does not match.');
    expect(() => parseBmap('<html></html>', 'x.bmap')).toThrow('x.bmap is not a bmap file');
    expect(() => parseBmap(bmapXml([{ text: '20-30' }]), 'x.bmap')).toThrow(/outside the 40960-byte image/);
  });

  it('plans only mapped bytes per chunk, across chunk edges', () => {
    const planner = new SegmentPlanner(parseBmap(bmapXml([{ text: '1-2' }, { text: '9' }])).ranges);
    expect(planner.segments(0, 8192)).toEqual([{ offset: 4096, length: 4096 }]);
    expect(planner.segments(8192, 8192)).toEqual([{ offset: 8192, length: 4096 }]);
    expect(planner.segments(16384, 16384)).toEqual([]);
    expect(planner.segments(32768, 8192)).toEqual([{ offset: 36864, length: 4096 }]);
  });

  it('checks each range against its checksum as the image streams past', () => {
    const image = Buffer.alloc(40960);
    image.fill(7, 4096, 12288);
    const good = parseBmap(bmapXml([{ text: '1-2', chksum: sha(image.subarray(4096, 12288)) }]));
    const sums = new BmapChecksums(good);
    sums.feed(0, image.subarray(0, 8192));
    sums.feed(8192, image.subarray(8192));
    expect(() => sums.finish()).not.toThrow();

    const corrupt = Buffer.from(image);
    corrupt[5000] = 8;
    const bad = new BmapChecksums(good);
    expect(() => bad.feed(0, corrupt)).toThrow('The image does not match its block map: bytes 4096-12287 have a different checksum');

    const short = new BmapChecksums(good);
    short.feed(0, image.subarray(0, 6000));
    expect(() => short.finish()).toThrow(/the image is truncated/);
  });
});
