// The sandboxed bridge: window.maskline gets one function per API method (generated from
// the method list, so a new method needs no preload change) plus `on` for events. Only
// these functions cross; no ipcRenderer, no Node.
import { contextBridge } from 'electron';
import { BRIDGE_KEY, type EventMessage } from '../src-main/api/bridge';
import { METHOD_NAMES } from '../src-main/api/methods';
import { invoke, onEvent } from './ipc-renderer';

const bridge: Record<string, unknown> = Object.fromEntries(METHOD_NAMES.map((m) => [m, (args: unknown) => invoke(m, args)]));
bridge.on = (listener: (m: EventMessage) => void) => onEvent(listener);

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
