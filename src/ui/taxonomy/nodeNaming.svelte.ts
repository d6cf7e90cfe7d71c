// A naming run: the chosen model names each taxonomy node from its most central skills, and each
// name is stored the moment it exists, so a reload or a cancel loses none.
import type { PackedNameList } from '../../core/explore/packedNames';
import { CENTRAL_PER_NODE, type TaxonomyOutline } from '../../core/explore/taxonomyOutline';
import { buildNamingMessages, parseNodeName } from '../../core/taxonomy/naming';
import type { ChatEngine, ChatRequest } from '../../llm/engine';
import { saveNodeNames, type NodeNames, type TaxonomySummary } from '../../storage/taxonomyStore';
import { JobProgress } from '../shell/workerJob.svelte';
import { centralNames, nodesToName, treeNodes } from './nodeNames';
import { errorMessage } from '../../core/errorMessage';

/** Skills shown to the model per node, most central first: all the outline keeps. */
export const NAMING_SKILLS = CENTRAL_PER_NODE;
/** Greedy, and short: a name is at most 4 words, about 10 tokens in JSON. */
const REQUEST: Omit<ChatRequest, 'messages'> = {
  temperature: 0,
  top_p: 1,
  max_tokens: 24,
  seed: 1,
};
const NAME_SCHEMA = {
  type: 'object',
  properties: { name: { type: 'string' } },
  required: ['name'],
};
const PHASE = 'naming nodes';

export interface NamingFailure {
  /** The node's key (`level:community`). */
  node: string;
  reason: string;
  /** The model's answer, as text. */
  answer: string;
}

export interface NamingOutcome {
  taxonomyId: string;
  model: string;
  /** Nodes the run asks about. */
  asked: number;
  /** Of those, named so far. */
  named: number;
  failures: NamingFailure[];
  /** Nodes left as they were: named by the user, or by this model in an earlier run. */
  namedByUser: number;
  namedByModel: number;
  seconds: number;
  running: boolean;
  /** Why the run ended before the last node (a cancel, an engine error). */
  stopped: string | null;
}

export class NodeNaming {
  readonly job = new JobProgress();
  #outcome = $state.raw<NamingOutcome | null>(null);
  #abort: AbortController | null = null;

  get outcome() {
    return this.#outcome;
  }
  get running() {
    return this.#outcome?.running ?? false;
  }

  /**
   * Names the nodes of `taxonomy` that need it, given the names `stored` now, from the central
   * skills its `outline` keeps (`tops` as `nodeTops` gives them); `onSaved` gets the stored names
   * after each new one.
   */
  async run(
    taxonomy: TaxonomySummary,
    stored: NodeNames,
    outline: TaxonomyOutline,
    tops: Int32Array,
    skillNames: PackedNameList,
    engine: ChatEngine,
    onSaved: (names: NodeNames) => void,
  ): Promise<void> {
    if (this.running) return;
    const plan = nodesToName(treeNodes(outline, tops), stored, engine.model);
    const outcome: NamingOutcome = {
      taxonomyId: taxonomy.id,
      model: engine.model,
      asked: plan.ask.length,
      named: 0,
      failures: [],
      namedByUser: plan.namedByUser,
      namedByModel: plan.namedByModel,
      seconds: 0,
      running: true,
      stopped: null,
    };
    const abort = new AbortController();
    this.#abort = abort;
    const started = performance.now();
    const report = () => {
      outcome.seconds = (performance.now() - started) / 1000;
      this.#outcome = { ...outcome, failures: [...outcome.failures] };
    };
    report();
    this.job.update({ phase: PHASE, done: 0, total: plan.ask.length });
    try {
      for (const [index, node] of plan.ask.entries()) {
        const v = outline.levelStart[node.level] + node.community;
        const central = centralNames(outline, v, skillNames, NAMING_SKILLS);
        const answer = await engine.chat(
          {
            messages: buildNamingMessages(central),
            ...REQUEST,
            response_format: engine.capabilities.jsonSchema
              ? { type: 'json_object', schema: NAME_SCHEMA }
              : undefined,
          },
          { signal: abort.signal },
        );
        if (abort.signal.aborted) break;
        const parsed = parseNodeName(answer.text);
        if (parsed.ok) {
          const names = await saveNodeNames(taxonomy.id, {
            [node.key]: { name: parsed.name, source: 'model', model: engine.model },
          });
          onSaved(names);
          // The user may have named it while the model was answering; theirs stays.
          if (names[node.key]?.source === 'user') outcome.namedByUser++;
          else outcome.named++;
        } else {
          const cut =
            answer.finish_reason === 'length' ? ` (cut at ${REQUEST.max_tokens} tokens)` : '';
          outcome.failures.push({
            node: node.key,
            reason: parsed.reason + cut,
            answer: answer.text,
          });
        }
        this.job.update({ phase: PHASE, done: index + 1, total: plan.ask.length });
        report();
      }
    } catch (error) {
      if (!abort.signal.aborted) {
        const message = errorMessage(error);
        outcome.stopped = `Naming stopped: ${message.replace(/\.?$/, '.')} The names given so far are kept; run it again to name the rest.`;
      }
    } finally {
      if (abort.signal.aborted) {
        outcome.stopped = 'Cancelled. The names given so far are kept; run it again to go on.';
      }
      outcome.running = false;
      report();
      this.#abort = null;
      this.job.clear();
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }
}
