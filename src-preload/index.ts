// Preload bridge.
export {};
