// The `steps` command line: `npm run -s steps -- <command> [args]`.
// Every command runs the same src/core code as the app and prints JSON on stdout. Exit status 2:
// the command line cannot be used (no or an unknown command, a mistake in the arguments, a graph
// the method cannot use, e.g. one without links); 1: the command failed. Either way stderr says
// `steps <command>: <message>`.
import { errorMessage } from '../core/errorMessage';
import { UnusableGraphError } from '../core/steps';
import { UsageError } from './args';

type Command = (args: string[]) => Promise<void>;

// Each command's module is loaded only when it runs: `synthesize` pulls in transformers.js and
// ONNX Runtime, which the graph and search commands need not carry (the streamed `combos` at 10k
// skills peaked at 370 MB resident with them loaded, 200 MB without).
// A Map, so a command name typed by the user never reaches an inherited property.
const commands = new Map<string, () => Promise<Command>>([
  ['inspect', async () => (await import('./inspect')).runInspect],
  ['graph', async () => (await import('./taxonomyCommands')).runGraph],
  ['tree', async () => (await import('./taxonomyCommands')).runTree],
  ['entropy', async () => (await import('./searchCommands')).runEntropy],
  ['combos', async () => (await import('./searchCommands')).runCombos],
  ['compare', async () => (await import('./compareCommand')).runCompare],
  ['synthesize', async () => (await import('./synthesize')).runSynthesize],
  ['export', async () => (await import('./export')).runExport],
]);

const [name, ...args] = process.argv.slice(2);
const command = name === undefined ? undefined : commands.get(name);
if (!command) {
  console.error(`usage: steps <${[...commands.keys()].join('|')}> [args]`);
  process.exit(2);
}
command()
  .then((run) => run(args))
  .catch((error: unknown) => {
    console.error(`steps ${name}: ${errorMessage(error)}`);
    process.exit(error instanceof UsageError || error instanceof UnusableGraphError ? 2 : 1);
  });
