// The steps of a project import that hold no UI state: reading a file, comparing it with the
// database, and the choices the user made (projectManager.svelte.ts keeps the state).
import { ProjectFileReader, type ProjectContents } from '../../core/project/projectFile';
import {
  analyseImport,
  keysToLook,
  projectItems,
  type ConflictChoice,
  type ImportAnalysis,
  type ItemOutcome,
  type ProjectItem,
} from '../../core/project/projectItems';
import { corporaBySamples, localDigests } from '../../storage/projectStore';

/** A file read, checked and split into items, with what has been looked up about it. */
export interface StagedProject {
  name: string;
  contents: ProjectContents;
  items: ProjectItem[];
  corpusByDigest: ReadonlyMap<string, string>;
  /** Stored digests by item key, and the keys already looked up. */
  local: Map<string, string>;
  asked: Set<string>;
}

/** Reads a project file as it streams in, checking every line; throws naming file and line. */
export async function readProjectFile(file: File): Promise<StagedProject> {
  const reader = new ProjectFileReader(file.name);
  const text = file.stream().pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await text.read();
    if (done) break;
    reader.push(value);
  }
  const contents = reader.end();
  const items = projectItems(contents, file.name);
  const corpusByDigest =
    contents.manifest.corpusSamples === 'reference'
      ? await corporaBySamples([...contents.corpusContent.values()])
      : new Map<string, string>();
  return { name: file.name, contents, items, corpusByDigest, local: new Map(), asked: new Set() };
}

/**
 * Compares the staged file with the database, looking up the stored digests the analysis asks
 * for (each once: a corpus's means reading its samples) until it asks for none it lacks.
 */
export async function analyseStaged(
  staged: StagedProject,
  choices: ReadonlyMap<string, ConflictChoice>,
): Promise<ImportAnalysis> {
  const { contents, items, corpusByDigest, local, asked } = staged;
  let analysis: ImportAnalysis | null = null;
  for (;;) {
    const keys = keysToLook(analysis, items).filter((key) => !asked.has(key));
    if (analysis && keys.length === 0) return analysis;
    for (const [key, digest] of await localDigests(keys)) local.set(key, digest);
    for (const key of keys) asked.add(key);
    analysis = analyseImport(contents, items, local, choices, corpusByDigest);
  }
}

/** `choices` with `choice` set for one conflict (by its key in the file), or for all of them. */
export function withChoice(
  choices: ReadonlyMap<string, ConflictChoice>,
  outcomes: readonly ItemOutcome[],
  choice: ConflictChoice,
  fileKey?: string,
): ReadonlyMap<string, ConflictChoice> {
  const next = new Map(choices);
  for (const outcome of outcomes) {
    if (outcome.status !== 'conflict' || outcome.note) continue;
    if (fileKey === undefined || outcome.fileKey === fileKey) next.set(outcome.fileKey, choice);
  }
  return next;
}

/** The download's name: the app and the day. */
export const projectFileName = () =>
  `steps-project-${new Date().toISOString().slice(0, 10)}.steps.jsonl`;
