// Flash: choose an image, choose cards, set first-boot options, write.
import { Disc3, FileArchive, KeyRound, PenLine } from 'lucide-react';
import { ViewHeader } from '../components/ViewHeader';
import { EmptyState } from '../components/EmptyState';

const STEPS = [
  { n: 1, title: 'Image', text: 'A Raspberry Pi OS image: a local .img, .xz, .gz or .zip, or one from the Raspberry Pi catalogue.', icon: FileArchive },
  { n: 2, title: 'Cards', text: 'The SD cards to write. System drives are never offered.', icon: Disc3 },
  { n: 3, title: 'First boot', text: 'Hostnames, user, SSH key and Wi-Fi, so each board comes up headless and reachable.', icon: KeyRound },
  { n: 4, title: 'Write', text: 'Every card written and verified at once, with progress for each.', icon: PenLine },
];

export function FlashView() {
  return (
    <div className="view">
      <ViewHeader title="Flash" subtitle="Write Raspberry Pi OS to one or several SD cards, verified, ready to boot headless." />
      <ol className="steps" aria-label="Flashing steps">
        {STEPS.map(({ n, title, text, icon: Icon }) => (
          <li key={n} className="step">
            <span className="step-number">{n}</span>
            <div>
              <h3>
                <Icon size={16} aria-hidden /> {title}
              </h3>
              <p>{text}</p>
            </div>
          </li>
        ))}
      </ol>
      <EmptyState icon={<Disc3 size={40} aria-hidden />} title="No SD card inserted">
        <p>Insert an SD card in a reader on this computer. Bramble lists it here within a second, with its size and whether it is safe to write.</p>
      </EmptyState>
    </div>
  );
}
