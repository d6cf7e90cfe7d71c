// The facts of the dataset card and manifest, picked field by field from stored records: nothing
// is spread, so no other field of a record (an endpoint's key, say) can reach the card.
import type { CardFacts } from '../../core/export/exportDataset';
import {
  tokenTotals,
  type BaselinesCardInfo,
  type CurriculumCardInfo,
} from '../../core/export/manifest';
import { combinationsPerK } from '../../core/synthesis/combinationReuse';
import {
  groupDiscardReasons,
  type RecordedDiscardReason,
} from '../../core/synthesis/discardReason';
import type { SynthesisRunRecord } from '../../storage/synthesisStore';
import type { CombinationSetRecord, TaxonomySummary } from '../../storage/taxonomyStore';
import type { CorpusRecord } from '../../storage/types';
import type { SampleRef } from './sampleRefs';

export interface LoadedRun {
  record: SynthesisRunRecord;
  attempts: number;
  /** The valid samples, in the order they were made. */
  samples: SampleRef[];
  /** One entry per discarded attempt (text only in attempts stored before reasons were typed). */
  discardReasons: (RecordedDiscardReason | null)[];
}

/** The combination searches a run drew from; empty when a run has none recorded. */
export function combinationSetIdsOf(record: SynthesisRunRecord): string[] {
  return record.spec.combinationSets ?? [];
}

const byK = (values: Map<number, number>) =>
  [...values].sort((a, b) => a[0] - b[0]).map(([k, value]) => ({ k, value }));

/** Named nodes by level, then community; the keys (`level:community`) are only split, never looked up. */
function nodeNamesOf(taxonomy: TaxonomySummary) {
  return Object.entries(taxonomy.nodeNames ?? {})
    .map(([key, node]) => {
      const [level, community] = key.split(':').map(Number);
      return { level, community, name: node.name, source: node.source };
    })
    .sort((a, b) => a.level - b.level || a.community - b.community);
}

export function cardFacts(source: {
  corpus: CorpusRecord;
  runs: LoadedRun[];
  taxonomies: TaxonomySummary[];
  combinationSets: CombinationSetRecord[];
  validPerK: { k: number; samples: number }[];
  curriculum: CurriculumCardInfo | null;
}): CardFacts {
  const { corpus, runs } = source;
  const taxonomyIds = new Set(runs.map((run) => run.record.taxonomyId));
  const setIds = new Set(runs.flatMap((run) => combinationSetIdsOf(run.record)));
  return {
    corpus: {
      name: corpus.name,
      fileName: corpus.fileName,
      samples: corpus.storedSamples,
      taggedSamples: corpus.stats?.tagged ?? null,
      skills: corpus.stats?.skills ?? null,
      sha256: corpus.fileSha256 ?? null,
    },
    taxonomies: source.taxonomies
      .filter((t) => taxonomyIds.has(t.id))
      .map((t) => ({
        id: t.id,
        levels: t.levels,
        builder: t.builder,
        weighting: t.weighting,
        minCount: t.minCount,
        entropyMode: t.entropyMode,
        skillCount: t.skillCount,
        edgeCount: t.edgeCount,
        communityCount: [...t.communityCount],
        structuralEntropy: t.measures.structuralEntropy,
        firstOrderEntropy: t.measures.firstOrderEntropy,
        sweetSpot: t.measures.sweetSpot,
        nodeNames: nodeNamesOf(t),
      })),
    combinationSets: source.combinationSets
      .filter((s) => setIds.has(s.id))
      .map((s) => ({
        id: s.id,
        taxonomyId: s.taxonomyId,
        size: s.size,
        beamWidth: s.beamWidth,
        mode: s.mode,
        perStart: s.perStart,
        combinations: s.combinations.length,
      })),
    runs: runs.map(({ record, attempts, samples, discardReasons }) => {
      const { spec } = record;
      return {
        id: record.id,
        model: { id: spec.model.id, engine: spec.model.engine },
        template: {
          id: spec.template.id,
          kind: spec.template.kind,
          version: spec.template.version,
        },
        generation: {
          temperature: spec.generation.temperature,
          top_p: spec.generation.top_p,
          max_tokens: spec.generation.max_tokens,
          ...(spec.generation.frequency_penalty && {
            frequency_penalty: spec.generation.frequency_penalty,
          }),
        },
        attempts,
        valid: samples.length,
        discarded: discardReasons.length,
        settings: {
          status: record.status,
          taxonomyId: record.taxonomyId,
          combinationSetIds: combinationSetIdsOf(record),
          createdAt: new Date(record.createdAt).toISOString(),
          templateText: { system: spec.template.system, user: spec.template.user },
          seed: spec.seed,
          maxPromptTokens: spec.maxPromptTokens,
          maxAttemptsPerSlot: spec.maxAttemptsPerSlot,
          quality: {
            dedup: spec.quality.dedup,
            nearDuplicateThreshold: spec.quality.nearDuplicateThreshold,
            novelty: spec.quality.novelty,
            coverage: spec.quality.coverage ?? false,
            minCoverage: spec.quality.minCoverage ?? 1,
          },
          agenticCheck: spec.agenticCheck
            ? { id: spec.agenticCheck.id, version: spec.agenticCheck.version }
            : null,
          targetPerK: byK(
            new Map(Object.entries(spec.targetPerK).map(([k, target]) => [Number(k), target])),
          ).map(({ k, value }) => ({ k, target: value })),
          combinationsPerK: byK(combinationsPerK(spec.combinations)).map(({ k, value }) => ({
            k,
            combinations: value,
          })),
        },
      };
    }),
    validPerK: source.validPerK,
    discarded: groupDiscardReasons(runs.flatMap((run) => run.discardReasons)),
    // Over every valid sample of the included runs: what the generation took.
    tokens: tokenTotals(runs.flatMap((run) => run.samples.map((sample) => sample.usage))),
    curriculum: source.curriculum,
    baselines: baselinesOf(source.combinationSets.filter((s) => setIds.has(s.id))),
  };
}

/** The baseline comparisons stored with the searches the runs drew from (the Combinations step). */
function baselinesOf(sets: CombinationSetRecord[]): BaselinesCardInfo[] {
  return sets.flatMap(({ id, size, beamWidth, comparison }) =>
    comparison
      ? [
          {
            combinationSetId: id,
            size,
            beamWidth,
            seed: comparison.seed,
            rows: comparison.rows.map((row) => ({
              method: row.method,
              ...(row.scope !== undefined && { scope: row.scope }),
              sets: row.sets,
              shortSets: row.shortSets,
              meanConditionalEntropy: row.meanConditionalEntropy,
              unseenShare: row.unseenShare,
              meanCommonDepth: row.meanCommonDepth,
              topPartnerShare: row.partners.topPartnerShare,
            })),
          },
        ]
      : [],
  );
}
