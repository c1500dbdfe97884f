// Renderer entry: fonts, styles, and the App mounted once.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource-variable/inter';
import '@fontsource-variable/jetbrains-mono';
import './styles/theme.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/flash.css';
import './styles/fleet.css';
import './styles/provision.css';
import './styles/power.css';
import './styles/logs.css';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
