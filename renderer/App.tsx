// The shell: sidebar navigation, notices, and the current view.
import { useEffect } from 'react';
import { Sidebar } from './components/Sidebar';
import { NoticeBar } from './components/NoticeBar';
import { useApp, subscribeAppEvents } from './store/app';
import { subscribeFleetEvents } from './store/fleet';
import { useNavigation } from './store/navigation';
import { useThemeAttribute } from './components/use-theme';
import { FlashView } from './views/FlashView';
import { FleetView } from './views/FleetView';
import { NodeView } from './views/NodeView';

export function App() {
  const view = useNavigation((s) => s.view);
  const load = useApp((s) => s.load);
  useThemeAttribute();

  useEffect(() => {
    const off = subscribeAppEvents();
    // Node states stream in whichever view is showing, so Fleet opens up to date.
    const offFleet = subscribeFleetEvents();
    void load();
    return () => {
      off();
      offFleet();
    };
  }, [load]);

  return (
    <div className="shell">
      <Sidebar />
      <main className="content" data-view={view}>
        <NoticeBar />
        {view === 'flash' && <FlashView />}
        {view === 'fleet' && <FleetView />}
        {view === 'node' && <NodeView />}
      </main>
    </div>
  );
}
