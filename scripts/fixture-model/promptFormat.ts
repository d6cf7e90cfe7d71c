/**
 * Identity of the prompt format the fixture model was trained on, stable across checkouts: a hash
 * of the default synthesis templates, of a fusion prompt whose example is cut to a budget (the
 * example rendering and truncation), and of a tagging, a naming and a coverage prompt (whose
 * wording is code).
 * The fixture's README records it; the fixture test compares it with the current code.
 */
import { buildSynthesisMessages, defaultTemplates } from '../../src/core/synthesis/prompts';
import { buildTaggingMessages } from '../../src/core/tagging/tagging';
import { buildNamingMessages } from '../../src/core/taxonomy/naming';
import { buildCoverageMessages } from '../../src/core/synthesis/coverage';
import { fnv1a64 } from '../../src/core/hash';

export function promptFormatFingerprint(): string {
  const turn = (role: 'user' | 'assistant', word: string) => ({
    role,
    content: `${word} `.repeat(100),
  });
  const cut = buildSynthesisMessages(
    defaultTemplates.fusion,
    [
      {
        skill: 'some_skill',
        sampleId: 'sample',
        messages: [turn('user', 'ask'), turn('assistant', 'tell'), turn('user', 'more')],
      },
    ],
    { maxPromptTokens: 1300, countTokens: (text) => text.length },
  );
  return fnv1a64(
    JSON.stringify([
      defaultTemplates,
      cut,
      buildTaggingMessages([
        { role: 'user', content: 'u' },
        { role: 'assistant', content: 'a' },
      ]),
      buildNamingMessages(['a', 'b']),
      buildCoverageMessages(
        ['a', 'b'],
        [
          { role: 'user', content: 'u' },
          { role: 'assistant', content: 'a' },
        ],
      ),
    ]),
  );
}

/** How the README states it, so the test can read it back. */
export const FINGERPRINT_LINE = /Prompt-format fingerprint: `([0-9a-f]{16})`/;
