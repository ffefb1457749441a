import { useEffect, useState } from 'react';

/** The pages of the dashboard, addressed by the URL fragment (`#/agents/agent_…`). */
export type Route =
  | { type: 'overview' }
  | { type: 'agents' }
  | { type: 'agent'; agentId: string }
  | { type: 'tasks' }
  | { type: 'events'; agentId?: string; taskId?: string };

/** Reads a route from a fragment; anything unknown is the overview. */
export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const query = new URLSearchParams(search);
  switch (parts[0]) {
    case 'agents':
      return parts[1] ? { type: 'agent', agentId: parts[1] } : { type: 'agents' };
    case 'tasks':
      return { type: 'tasks' };
    case 'events':
      return {
        type: 'events',
        ...(query.get('agent') ? { agentId: query.get('agent') as string } : {}),
        ...(query.get('task') ? { taskId: query.get('task') as string } : {}),
      };
    default:
      return { type: 'overview' };
  }
}

/** The fragment of a route. */
export function routeHref(route: Route): string {
  switch (route.type) {
    case 'overview':
      return '#/';
    case 'agents':
      return '#/agents';
    case 'agent':
      return `#/agents/${route.agentId}`;
    case 'tasks':
      return '#/tasks';
    case 'events': {
      const query = new URLSearchParams();
      if (route.agentId) query.set('agent', route.agentId);
      if (route.taskId) query.set('task', route.taskId);
      const text = query.toString();
      return text ? `#/events?${text}` : '#/events';
    }
  }
}

/** The current route, following fragment changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
