import { mount } from 'svelte';
import App from './ui/App.svelte';
import { appUpdate, reloadForIsolation } from './ui/shell/serviceWorker.svelte';
import './ui/app.css';

// A page about to reload for cross-origin isolation starts nothing (no storage, no worker).
if (!(await reloadForIsolation())) {
  mount(App, { target: document.getElementById('app')! });
  appUpdate.register();
}
