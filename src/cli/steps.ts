// The `steps` command line: `npm run -s steps -- <command> [args]`.
// Every command runs the same src/core code as the app and prints JSON on stdout. Exit status 2:
// the command line cannot be used (no or an unknown command, a mistake in the arguments, a graph
// the method cannot use, e.g. one without links); 1: the command failed. Either way stderr says
// `steps <command>: <message>`.
import { errorMessage } from '../core/errorMessage';
import { UnusableGraphError } from '../core/steps';
import { UsageError } from './args';
import { runCompare } from './compareCommand';
import { runExport } from './export';
import { runInspect } from './inspect';
import { runCombos, runEntropy } from './searchCommands';
import { runSynthesize } from './synthesize';
import { runGraph, runTree } from './taxonomyCommands';

type Command = (args: string[]) => Promise<void>;

// A Map, so a command name typed by the user never reaches an inherited property.
const commands = new Map<string, Command>([
  ['inspect', runInspect],
  ['graph', runGraph],
  ['tree', runTree],
  ['entropy', runEntropy],
  ['combos', runCombos],
  ['compare', runCompare],
  ['synthesize', runSynthesize],
  ['export', runExport],
]);

const [name, ...args] = process.argv.slice(2);
const command = name === undefined ? undefined : commands.get(name);
if (!command) {
  console.error(`usage: steps <${[...commands.keys()].join('|')}> [args]`);
  process.exit(2);
}
command(args).catch((error: unknown) => {
  console.error(`steps ${name}: ${errorMessage(error)}`);
  process.exit(error instanceof UsageError || error instanceof UnusableGraphError ? 2 : 1);
});
