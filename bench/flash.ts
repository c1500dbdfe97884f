// `npm run bench:flash`: Bramble's write (with verify) against dd, `xz -dc | dd`
// and bmaptool, side by side in one run, on the 1.5 GiB fixture, to a loop
// device. Several rounds, medians, ratios as the last line, and the figures in
// bench/RESULTS.md. Needs root (loop devices) and the fixture tools.
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, ftruncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFixture } from '../test/fixtures/build-image';
import { dropCaches, median, timeCommand, writeResults } from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const bramble = path.resolve('dist/cli/bramble.cjs');

async function main(): Promise<void> {
  const fx = await ensureFixture({ generation: 'bookworm', sizeMiB: 1536 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bramble-bench-'));
  const card = path.join(dir, 'card.img');
  const fd = openSync(card, 'w');
  ftruncateSync(fd, statSync(fx.img).size + (64 << 20));
  closeSync(fd);
  const loop = execFileSync('losetup', ['-f', '--show', card], { encoding: 'utf8' }).trim();
  // The same images where no .bmap sits beside them: Bramble then maps the filesystems' used blocks itself.
  const bare = path.join(dir, 'no-bmap');
  mkdirSync(bare);
  const bareImg = path.join(bare, path.basename(fx.img));
  const bareXz = path.join(bare, path.basename(fx.xz));
  copyFileSync(fx.img, bareImg);
  copyFileSync(fx.xz, bareXz);
  try {
    const cases: Record<string, [string, string[]]> = {
      'bramble raw': [process.execPath, [bramble, 'flash', '--image', fx.img, '--drive', loop, '--yes', '--json']],
      'bmaptool raw': ['bmaptool', ['-q', 'copy', '--bmap', fx.bmap, fx.img, loop]],
      'dd raw': ['dd', [`if=${fx.img}`, `of=${loop}`, 'bs=4M', 'conv=fsync', 'status=none']],
      'bramble xz': [process.execPath, [bramble, 'flash', '--image', fx.xz, '--drive', loop, '--yes', '--json']],
      'xz|dd': ['sh', ['-c', `xz -dc '${fx.xz}' | dd of='${loop}' bs=4M iflag=fullblock conv=fsync status=none`]],
      'bmaptool xz': ['bmaptool', ['-q', 'copy', '--bmap', fx.bmap, fx.xz, loop]],
      'bramble raw, no .bmap': [process.execPath, [bramble, 'flash', '--image', bareImg, '--drive', loop, '--yes', '--json']],
      'bramble xz, no .bmap': [process.execPath, [bramble, 'flash', '--image', bareXz, '--drive', loop, '--yes', '--json']],
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [label, [cmd, args]] of Object.entries(cases)) {
        dropCaches();
        times[label]!.push(timeCommand(label, cmd, args));
      }
      process.stderr.write(`round ${round}/${ROUNDS}: ${Object.entries(times).map(([k, v]) => `${k} ${v.at(-1)!.toFixed(2)}s`).join(', ')}\n`);
    }
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const rawRatio = m['bramble raw']! / m['bmaptool raw']!;
    const xzRatio = m['bramble xz']! / m['xz|dd']!;
    const table = [
      '| case | median s | all runs |',
      '|---|---|---|',
      ...Object.entries(times).map(([k, v]) => `| ${k} | ${m[k]!.toFixed(2)} | ${v.map((x) => x.toFixed(2)).join(', ')} |`),
    ].join('\n');
    // The disk here is shared and noisy; the ratio within each round shows how much of the median ratio is luck.
    const perRound = (a: string, b: string) => times[a]!.map((t, i) => t / times[b]![i]!);
    const roundRatios = `per-round ratios: raw ${perRound('bramble raw', 'bmaptool raw').map((r) => r.toFixed(2)).join(', ')} (median ${median(perRound('bramble raw', 'bmaptool raw')).toFixed(2)}x); xz ${perRound('bramble xz', 'xz|dd').map((r) => r.toFixed(2)).join(', ')} (median ${median(perRound('bramble xz', 'xz|dd')).toFixed(2)}x)`;
    const noBmap = `without a .bmap: raw ${(m['bramble raw, no .bmap']! / m['dd raw']!).toFixed(2)}x dd, xz ${(m['bramble xz, no .bmap']! / m['xz|dd']!).toFixed(2)}x (xz -dc | dd)`;
    const summary = `raw: bramble/bmaptool = ${rawRatio.toFixed(2)}x (target <= 1.00); xz: bramble/(xz -dc | dd) = ${xzRatio.toFixed(2)}x (target <= 0.75)`;
    const file = writeResults(
      'flash',
      `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}; image ${path.basename(fx.img)} ${(statSync(fx.img).size / 2 ** 30).toFixed(2)} GiB, ${ROUNDS} rounds, target a loop device. Bramble verifies every written byte by reading it back; dd does not verify; bmaptool checks the bmap checksums of what it reads. Each case starts with cold caches (drop_caches), the CLI's start-up included.\n\n${table}\n\n${roundRatios}\n\n${noBmap}\n\n${summary}`,
    );
    console.log(table);
    console.log(roundRatios);
    console.log(noBmap);
    console.log(`results: ${file}`);
    console.log(summary);
  } finally {
    execFileSync('losetup', ['-d', loop]);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`bench:flash: ${error.message}`);
  process.exit(1);
});
