// State of the Project panel: a project file exported (a download built piece by piece), or read,
// compared with this browser's data, and imported once every conflict is decided.
import { errorMessage } from '../../core/errorMessage';
import {
  writesOf,
  type ConflictChoice,
  type ImportAnalysis,
} from '../../core/project/projectItems';
import { commitImport, exportProject } from '../../storage/projectStore';
import {
  analyseStaged,
  projectFileName,
  readProjectFile,
  withChoice,
  type StagedProject,
} from './projectImport';
import { downloadBlob } from '../shell/download';

/** No conflict decided yet. */
const noChoices: ReadonlyMap<string, ConflictChoice> = new Map();

type Phase = 'idle' | 'exporting' | 'reading' | 'deciding' | 'importing' | 'imported';

export class ProjectManager {
  /** Export corpora with all their samples, or by name, row count and digest only. */
  corpusSamples = $state<'all' | 'reference'>('all');
  #phase = $state<Phase>('idle');
  #error = $state<string | null>(null);
  #analysis = $state.raw<ImportAnalysis | null>(null);
  #choices: ReadonlyMap<string, ConflictChoice> = noChoices;
  #fileName = $state<string | null>(null);
  #staged: StagedProject | null = null;
  readonly #onImported: () => Promise<void>;

  constructor(onImported: () => Promise<void>) {
    this.#onImported = onImported;
  }

  get phase() {
    return this.#phase;
  }
  get error() {
    return this.#error;
  }
  get analysis() {
    return this.#analysis;
  }
  get fileName() {
    return this.#fileName;
  }
  get busy() {
    return this.#phase === 'exporting' || this.#phase === 'reading' || this.#phase === 'importing';
  }

  /** Downloads the project file: every ready corpus and everything derived from one. */
  async exportFile(): Promise<void> {
    if (this.busy) return;
    this.#phase = 'exporting';
    this.#error = null;
    try {
      // Blob parts, one per batch: the file is never one string in memory.
      const parts: string[] = [];
      await exportProject(this.corpusSamples, (text) => {
        parts.push(text);
      });
      downloadBlob(projectFileName(), new Blob(parts, { type: 'application/jsonl' }));
    } catch (error) {
      this.#error = `The project could not be exported: ${errorMessage(error)}`;
    } finally {
      this.#phase = 'idle';
    }
  }

  /** Reads and checks a project file and compares it with this browser's data. */
  async choose(file: File): Promise<void> {
    if (this.busy) return;
    this.#phase = 'reading';
    this.#error = null;
    this.#analysis = null;
    this.#choices = noChoices;
    this.#fileName = file.name;
    try {
      this.#staged = await readProjectFile(file);
      this.#analysis = await analyseStaged(this.#staged, this.#choices);
      // Without conflicts there is nothing to ask: what is new is imported at once.
      if (this.#analysis.outcomes.every((o) => o.status !== 'conflict')) await this.commit();
      else this.#phase = 'deciding';
    } catch (error) {
      this.#staged = null;
      this.#phase = 'idle';
      this.#error = `Nothing was imported. ${errorMessage(error)}`;
    }
  }

  /** Sets the choice for one conflict (by its key in the file), or for all of them. */
  async decide(choice: ConflictChoice, fileKey?: string): Promise<void> {
    const staged = this.#staged;
    if (!this.#analysis || !staged || this.#phase !== 'deciding') return;
    this.#choices = withChoice(this.#choices, this.#analysis.outcomes, choice, fileKey);
    try {
      this.#analysis = await analyseStaged(staged, this.#choices);
    } catch (error) {
      this.#error = errorMessage(error);
    }
  }

  /** Writes what the analysis says, in one transaction. */
  async commit(): Promise<void> {
    const analysis = this.#analysis;
    if (!analysis || !this.#staged) return;
    this.#phase = 'importing';
    try {
      await commitImport(writesOf(analysis));
      this.#staged = null;
      this.#phase = 'imported';
      await this.#onImported();
    } catch (error) {
      this.#phase = 'deciding';
      this.#error = `Nothing was imported. ${errorMessage(error)}`;
    }
  }

  /** Drops the file read (nothing of it was written). */
  cancel(): void {
    if (this.busy) return;
    this.#staged = null;
    this.#analysis = null;
    this.#fileName = null;
    this.#phase = 'idle';
  }
}
