/**
 * Quick start: the whole chat backend in one process, with no server and no database.
 *
 *   npx tsx examples/quick-start.ts
 *
 * Every call below is a use case; an HTTP or WebSocket adapter makes exactly the same calls.
 */
import { createInMemoryChatBackend } from '../src/testing.js';

const backend = createInMemoryChatBackend();

// Create an account, then sign in with it (the username or the email both work).
await backend.registerUser.execute({ username: 'ada', email: 'ada@example.com', password: 'Analytical-Engine-1' });
const { tokens } = await backend.logIn.execute({ username: 'ada', password: 'Analytical-Engine-1' });

// Every chat call is made on behalf of a user: the access token says which one.
const { userId } = await backend.authenticate.execute({ accessToken: tokens.accessToken });

const session = await backend.createSession.execute({ userId, title: 'First steps' });
const message = await backend.sendMessage.execute({ userId, sessionId: session.id, text: 'Hello, world!' });

console.log(`Sent "${message.text}" as message ${message.id} in session ${session.id} ("${session.title}")`);
