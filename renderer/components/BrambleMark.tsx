// The Bramble mark: a cluster of berries (nodes) on one stem (the network).
export function BrambleMark({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" role="img" aria-label="Bramble">
      <path d="M16 3c2.5 2.2 3.2 4.6 2 7" fill="none" stroke="var(--leaf)" strokeWidth="2.2" strokeLinecap="round" />
      <path d="M18 10c3-.8 5.6-.2 7.5 1.8-3 .9-5.4.6-7.5-1.8z" fill="var(--leaf)" />
      {[
        [12, 15],
        [20, 15],
        [16, 20],
        [10, 22],
        [22, 22],
        [16, 27],
      ].map(([cx, cy]) => (
        <circle key={`${cx}-${cy}`} cx={cx} cy={cy} r={4.2} fill="var(--berry)" stroke="var(--berry-rim)" strokeWidth="1" />
      ))}
    </svg>
  );
}
