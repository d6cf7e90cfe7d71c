/** The workflow's steps, in the order data flows through them. */
export const workflowSteps = [
  { id: 'import', label: 'Import' },
  { id: 'skills', label: 'Skills' },
  { id: 'taxonomy', label: 'Taxonomy' },
  { id: 'combinations', label: 'Combinations' },
  { id: 'synthesis', label: 'Synthesis' },
  { id: 'review', label: 'Review' },
  { id: 'dataset', label: 'Dataset' },
] as const;

export type WorkflowStepId = (typeof workflowSteps)[number]['id'];

/** A page of the app: a workflow step, or the model page (#/model). */
export type PageId = WorkflowStepId | 'model';

/**
 * Where the app is, as the URL's hash says it: `#/<page>?corpus=<id>&taxonomy=<id>`, so that a
 * reload, a bookmark and back/forward show the same step, corpus and taxonomy.
 */
export interface Route {
  page: PageId;
  corpus?: string;
  taxonomy?: string;
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const queryAt = path.indexOf('?');
  const id = queryAt < 0 ? path : path.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : path.slice(queryAt + 1));
  const page: PageId =
    id === 'model' ? 'model' : (workflowSteps.find((step) => step.id === id)?.id ?? 'import');
  const corpus = query.get('corpus') || undefined;
  const taxonomy = query.get('taxonomy') || undefined;
  return { page, ...(corpus && { corpus }), ...(taxonomy && { taxonomy }) };
}

export function routeHash({ page, corpus, taxonomy }: Route): string {
  const query = new URLSearchParams();
  if (corpus) query.set('corpus', corpus);
  if (taxonomy) query.set('taxonomy', taxonomy);
  const search = query.toString();
  return `#/${page}${search ? `?${search}` : ''}`;
}
