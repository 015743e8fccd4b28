import { mount } from 'svelte';
import App from './App.svelte';
import { pickTransport } from './lib/api/pick-transport';
import './app.css';

// one small reactive box so the HTTP transport can report its socket state to the UI
const connected = $state({ value: true });
const api = pickTransport((up) => (connected.value = up));

mount(App, { target: document.getElementById('app')!, props: { api, connected } });
