// `steps inspect <file> [--tags FIELD] [--delimiter D]`: imports a corpus file through the same
// core code as the app and prints its import report as JSON.
import { importCorpus } from '../core/corpus/importCorpus';
import { CommandArgs } from './args';
import {
  corpusFileFromPath,
  corpusOptions,
  corpusOptionSyntax,
  corpusOptionsUsage,
} from './corpusFile';

const syntax = {
  usage: `steps inspect <file> ${corpusOptionsUsage}`,
  positionals: ['<file>'],
  options: corpusOptionSyntax,
};

export async function runInspect(argv: string[]): Promise<void> {
  const args = CommandArgs.parse(argv, syntax);
  const [path] = args.positionals;
  const report = await importCorpus(await corpusFileFromPath(path), corpusOptions(args));
  const printed = {
    format: report.format,
    shape: report.shape,
    tagField: report.tagField,
    delimiter: report.delimiter,
    rows: report.rows,
    kept: report.kept,
    tagged: report.tagged,
    skills: report.skills,
    tagsPerSample: report.tagsPerSample,
    rejected: report.rejected,
    rejectedNotListed: report.rejectedNotListed,
    duplicateIds: report.duplicateIds,
    droppedTags: report.droppedTags,
    droppedTagsNotListed: report.droppedTagsNotListed,
  };
  console.log(JSON.stringify(printed, null, 2));
}
