import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';
import { installStorageTestHook } from './storage/testHook';

installStorageTestHook();
mount(App, { target: document.getElementById('app')! });
