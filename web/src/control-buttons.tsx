import { useState } from 'react';
import type { ApiClient } from './api-client.ts';

/** Steer, pause, resume and stop buttons for an agent or a run; posts to `path`. */
export function ControlButtons({ api, path, label }: { api: ApiClient; path: string; label: string }) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const send = async (body: Record<string, string>) => {
    setStatus('sending…');
    try {
      await api.post(path, body);
      setStatus(`${body.kind} sent`);
      if (body.kind === 'steer') setText('');
    } catch (error) {
      setStatus(`failed: ${(error as Error).message}`);
    }
  };
  return (
    <div className="controls">
      <form
        className="steer"
        onSubmit={(event) => {
          event.preventDefault();
          if (text.trim()) void send({ kind: 'steer', text });
        }}
      >
        <input
          aria-label={`steer the ${label}`}
          data-testid="steer-input"
          placeholder={`tell the ${label} what to do differently…`}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" data-testid="steer-button" disabled={!text.trim()}>
          Steer
        </button>
      </form>
      <button type="button" onClick={() => void send({ kind: 'pause' })}>
        Pause
      </button>
      <button type="button" onClick={() => void send({ kind: 'resume' })}>
        Resume
      </button>
      <button
        type="button"
        className="danger"
        onClick={() => {
          if (window.confirm(`Stop the ${label}?`))
            void send({ kind: 'stop', reason: 'stopped from the dashboard' });
        }}
      >
        Stop
      </button>
      {status ? (
        <span className="muted" data-testid="control-status">
          {status}
        </span>
      ) : null}
    </div>
  );
}
