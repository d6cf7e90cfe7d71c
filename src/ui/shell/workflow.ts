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

export function stepFromHash(hash: string): WorkflowStepId {
  const id = hash.replace(/^#\/?/, '');
  return workflowSteps.find((step) => step.id === id)?.id ?? 'import';
}
