import { describe, expect, it } from 'vitest';
import { eventText, positionOf } from '../../../src/adapters/realtime/realtime.router.js';
import { ValidationError } from '../../../src/domain/domain-error.js';

describe('Server-Sent Event framing', () => {
  it('gives a stream event its position as id, its type as event and itself as data', () => {
    expect(eventText({ type: 'session.deleted', epoch: 'k3x9', offset: 7, session_id: 3 })).toBe(
      'id: k3x9:7\nevent: session.deleted\ndata: {"type":"session.deleted","epoch":"k3x9","offset":7,"session_id":3}\n\n',
    );
  });

  it('gives ready the position it stands at, and control frames no id (a reconnect keeps the last one)', () => {
    expect(eventText({ type: 'ready', epoch: 'k3x9', offset: 7, recovered: true })).toMatch(/^id: k3x9:7\nevent: ready\n/);
    expect(eventText({ type: 'degraded' })).toBe('event: degraded\ndata: {"type":"degraded"}\n\n');
  });

  it('keeps a text with newlines on one data line', () => {
    const text = eventText({ type: 'message.created', epoch: 'e', offset: 1, message: { text: 'two\nlines\r\n' } });
    expect(text.split('\n').filter((line) => line.startsWith('data: '))).toHaveLength(1);
  });

  it('reads Last-Event-ID as a position, an absent one as none, and refuses anything else', () => {
    expect(positionOf('k3x9_-:41')).toEqual({ epoch: 'k3x9_-', offset: 41 });
    expect(positionOf('')).toBeNull();
    for (const bad of ['k3x9', 'k3x9:', ':41', 'k3x9:-1', 'k3 x9:41', `${'e'.repeat(65)}:1`]) {
      expect(() => positionOf(bad), bad).toThrow(ValidationError);
    }
  });
});
