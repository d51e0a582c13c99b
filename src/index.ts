/** The package's entry: the application's public surface plus the database-backed wiring. */
export * from './application/index.js';
export { createChatBackend, type ChatBackend, type RealtimeSubscriptions } from './chat-backend.js';
export type { FrameListener, StreamSubscription, SubscribeOptions } from './adapters/realtime/event-streams.js';
export type { ReadyFrame, StreamEvent, StreamFrame, StreamPosition } from './adapters/realtime/stream-frame.js';
export { loadConfig, parseConfig, ConfigError, type AppConfig, type DatabaseConfig } from './config.js';
