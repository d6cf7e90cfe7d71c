// Where the app is: the route in the URL's hash (workflow.ts), followed on back/forward and links,
// and written back when the corpus or taxonomy shown changes, so a reload shows the same thing.
import { parseRoute, routeHash, type Route } from './workflow';

export class Navigation {
  #route = $state.raw<Route>(parseRoute(location.hash));
  /** Set by each change of page, so the page's heading can take the focus. */
  #arrivals = $state(0);
  #note = $state<string | null>(null);
  readonly #onHashChange = () => {
    const next = parseRoute(location.hash);
    if (next.page !== this.#route.page) this.#arrivals++;
    this.#route = next;
  };

  constructor() {
    window.addEventListener('hashchange', this.#onHashChange);
  }

  get route() {
    return this.#route;
  }
  /** How many times the page changed since the app opened (0: it has not). */
  get arrivals() {
    return this.#arrivals;
  }
  /** Why the URL asked for something that is not shown (an unknown corpus or taxonomy). */
  get note() {
    return this.#note;
  }

  /** The hash of `page` with the corpus and taxonomy shown now. */
  hrefOf(page: Route['page']): string {
    return routeHash({ ...this.#route, page });
  }

  /** Goes to `route` as a link would: a new history entry. */
  go(route: Route): void {
    location.hash = routeHash(route);
  }

  /**
   * Writes the corpus and taxonomy shown into the current history entry (no new entry), so the
   * URL names them also when they were chosen without it (a build, the latest after a reload).
   */
  reflect(shown: { corpus?: string; taxonomy?: string }): void {
    // The page as the URL has it now: a link just followed may not have delivered its hashchange
    // yet, and writing the page seen before would undo it.
    const page = parseRoute(location.hash).page;
    const route: Route = { page, ...shown };
    if (routeHash(route) === routeHash(this.#route)) return;
    history.replaceState(history.state, '', routeHash(route));
    if (page !== this.#route.page) this.#arrivals++;
    this.#route = route;
  }

  /** Says why the URL's corpus or taxonomy is not the one shown. */
  fallBack(note: string): void {
    this.#note = note;
  }

  dismissNote(): void {
    this.#note = null;
  }

  dispose(): void {
    window.removeEventListener('hashchange', this.#onHashChange);
  }
}
