/** The dashboard's pages, addressed by the URL hash so reloads and links keep the place. */
export type Route =
  | { name: 'overview' }
  | { name: 'job'; jobId: string }
  | { name: 'item'; itemId: number }
  | { name: 'pipelines' }
  | { name: 'costs' }
  | { name: 'doctor' }
  | { name: 'settings' }
  | { name: 'notFound'; path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  const [head, arg] = path.split('/').map((p) => decodeURIComponent(p));
  switch (head) {
    case '':
    case undefined:
      return { name: 'overview' };
    case 'job':
      return arg ? { name: 'job', jobId: arg } : { name: 'notFound', path };
    case 'item': {
      const id = Number(arg);
      return Number.isInteger(id) && id > 0
        ? { name: 'item', itemId: id }
        : { name: 'notFound', path };
    }
    case 'pipelines':
    case 'costs':
    case 'doctor':
    case 'settings':
      return { name: head };
    default:
      return { name: 'notFound', path };
  }
}

export function href(route: Route): string {
  switch (route.name) {
    case 'overview':
      return '#/';
    case 'job':
      return `#/job/${encodeURIComponent(route.jobId)}`;
    case 'item':
      return `#/item/${route.itemId}`;
    case 'notFound':
      return `#/${route.path}`;
    default:
      return `#/${route.name}`;
  }
}

/** The current route, following hashchange. */
export class Router {
  route = $state<Route>({ name: 'overview' });

  constructor(private readonly win: Window = window) {
    this.route = parseHash(win.location.hash);
    win.addEventListener('hashchange', this.onChange);
  }

  private readonly onChange = () => {
    this.route = parseHash(this.win.location.hash);
  };

  go(route: Route): void {
    this.win.location.hash = href(route);
  }

  dispose(): void {
    this.win.removeEventListener('hashchange', this.onChange);
  }
}
