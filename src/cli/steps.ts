// The `steps` command line: `npm run -s steps -- <command> [args]`.
// Every command runs the same src/core code as the app and prints JSON on stdout.
import { runInspect } from './inspect';
import { runCombos, runEntropy } from './searchCommands';
import { runSynthesize } from './synthesize';
import { runGraph, runTree } from './taxonomyCommands';

type Command = (args: string[]) => Promise<void>;

const commands: Record<string, Command> = {
  inspect: runInspect,
  entropy: runEntropy,
  combos: runCombos,
  graph: runGraph,
  tree: runTree,
  synthesize: runSynthesize,
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  console.error(`usage: steps <${Object.keys(commands).join('|')}> [args]`);
  process.exit(2);
}
command(args).catch((error: unknown) => {
  console.error(`steps ${name}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
