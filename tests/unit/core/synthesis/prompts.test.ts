import { describe, expect, it } from 'vitest';
import {
  buildSynthesisMessages,
  defaultTemplates,
  editTemplate,
  PromptBudgetError,
  renderExamples,
  TRUNCATION_MARKER,
  validateTemplate,
  type AtomicExample,
  type PromptTemplate,
} from '../../../../src/core/synthesis/prompts';

/** A simple counter: one token per whitespace-separated word. */
const words = (text: string) => text.split(/\s+/).filter((w) => w !== '').length;
const totalWords = (messages: { content: string }[]) =>
  messages.reduce((n, m) => n + words(m.content), 0);

const longText = (label: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${label}${i}`).join(' ');

const examples: AtomicExample[] = [
  {
    skill: 'python_programming',
    sampleId: 'demo-0001',
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Reverse a list in Python?' },
      { role: 'assistant', content: 'Use `items[::-1]` or `items.reverse()`.' },
    ],
  },
  {
    skill: 'budgeting',
    sampleId: 'demo-0042',
    messages: [
      { role: 'user', content: 'Monthly budget for 2000 EUR?' },
      { role: 'assistant', content: '50/30/20: 1000 needs, 600 wants, 400 savings.' },
      { role: 'user', content: 'And with rent at 900?' },
      { role: 'assistant', content: 'Then needs take 1100 and wants drop to 500.' },
    ],
  },
];

describe('renderExamples', () => {
  it('renders the documented format: skill header, labelled turns, no system message', () => {
    expect(renderExamples(examples)).toBe(
      [
        '### Skill: python_programming',
        'User: Reverse a list in Python?',
        'Assistant: Use `items[::-1]` or `items.reverse()`.',
        '',
        '### Skill: budgeting',
        'User: Monthly budget for 2000 EUR?',
        'Assistant: 50/30/20: 1000 needs, 600 wants, 400 savings.',
        'User: And with rent at 900?',
        'Assistant: Then needs take 1100 and wants drop to 500.',
      ].join('\n'),
    );
  });
});

describe('buildSynthesisMessages', () => {
  it('fills every placeholder and is untruncated when it fits', () => {
    const { messages, truncated } = buildSynthesisMessages(defaultTemplates.fusion, examples, {
      maxPromptTokens: 10_000,
      countTokens: words,
    });
    expect(truncated).toBe(false);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[0].content).toBe(defaultTemplates.fusion.system);
    const user = messages[1].content;
    expect(user).not.toMatch(/\{\{/);
    expect(user).toContain('Here are 2 example conversations.');
    expect(user).toContain('needs all 2 skills at the same time: python_programming, budgeting.');
    expect(user).toContain(renderExamples(examples));
    expect(user).not.toContain(TRUNCATION_MARKER);
  });

  it('drops later turns first, with a note, when that is enough', () => {
    const full = buildSynthesisMessages(defaultTemplates.fusion, examples, {
      maxPromptTokens: 10_000,
      countTokens: words,
    });
    const budget = totalWords(full.messages) - 1;
    const { messages, truncated } = buildSynthesisMessages(defaultTemplates.fusion, examples, {
      maxPromptTokens: budget,
      countTokens: words,
    });
    expect(truncated).toBe(true);
    expect(totalWords(messages)).toBeLessThanOrEqual(budget);
    expect(messages[1].content).toContain(
      '### Skill: budgeting\nUser: Monthly budget for 2000 EUR?\n' +
        'Assistant: 50/30/20: 1000 needs, 600 wants, 400 savings.\n[… 2 more turns omitted]',
    );
    expect(messages[1].content).not.toContain(TRUNCATION_MARKER);
  });

  it('cuts long examples proportionally to fit, never below the floor', () => {
    const long: AtomicExample[] = [
      {
        skill: 'a',
        sampleId: 's1',
        messages: [
          { role: 'user', content: longText('q', 400) },
          { role: 'assistant', content: longText('r', 800) },
        ],
      },
      {
        skill: 'b',
        sampleId: 's2',
        messages: [
          { role: 'user', content: longText('u', 40) },
          { role: 'assistant', content: longText('v', 400) },
        ],
      },
    ];
    const budget = { maxPromptTokens: 600, countTokens: words, floorChars: 50 };
    const first = buildSynthesisMessages(defaultTemplates.agentic, long, budget);
    const second = buildSynthesisMessages(defaultTemplates.agentic, long, budget);
    expect(second).toEqual(first);
    expect(first.truncated).toBe(true);
    const used = totalWords(first.messages);
    expect(used).toBeLessThanOrEqual(600);
    // The largest share (in 1/1000 steps) that fits leaves almost no room.
    expect(used).toBeGreaterThan(590);
    const user = first.messages[1].content;
    const turns = user.match(/^(User|Assistant): .*$/gm)!;
    expect(turns).toHaveLength(4);
    for (const turn of turns) expect(turn.endsWith(TRUNCATION_MARKER)).toBe(true);
    // Every turn keeps the same share of its characters (a word-boundary cut may take a few
    // more off), except the short one held at the 50-character floor.
    const kept = turns.map((t) => t.replace(/^\w+: /, '').length - TRUNCATION_MARKER.length);
    const original = long.flatMap((e) => e.messages.map((m) => m.content.length));
    const shares = kept.map((n, i) => n / original[i]);
    expect(Math.abs(shares[0] - shares[1])).toBeLessThan(0.005);
    expect(Math.abs(shares[3] - shares[1])).toBeLessThan(0.005);
    expect(shares[1]).toBeLessThan(0.3);
    expect(kept[2]).toBeGreaterThanOrEqual(45);
    expect(kept[2]).toBeGreaterThan(shares[1] * original[2]);
    // The floor: at least 50 characters of a turn survive even when the share is smaller.
    const floorOnly = buildSynthesisMessages(defaultTemplates.agentic, long, {
      maxPromptTokens: 250,
      countTokens: words,
      floorChars: 50,
    });
    const shortTurn = floorOnly.messages[1].content.match(/^User: (u0 .*)$/m)![1];
    expect(shortTurn.length - TRUNCATION_MARKER.length).toBeGreaterThanOrEqual(45);
  });

  it('throws PromptBudgetError when even the floor does not fit', () => {
    const attempt = () =>
      buildSynthesisMessages(defaultTemplates.fusion, examples, {
        maxPromptTokens: 20,
        countTokens: words,
      });
    expect(attempt).toThrow(PromptBudgetError);
    expect(attempt).toThrow(
      /^prompt needs \d+ tokens with every example cut to the floor, but the budget is 20$/,
    );
  });

  it('checks the examples', () => {
    const budget = { maxPromptTokens: 1000, countTokens: words };
    expect(() => buildSynthesisMessages(defaultTemplates.fusion, [], budget)).toThrow(
      'examples: at least one atomic example is needed',
    );
    expect(() =>
      buildSynthesisMessages(defaultTemplates.fusion, [examples[0], examples[0]], budget),
    ).toThrow('examples[1]: skill "python_programming" appears twice');
    expect(() =>
      buildSynthesisMessages(
        defaultTemplates.fusion,
        [{ skill: 'x', sampleId: 'e9', messages: [{ role: 'assistant', content: 'hi' }] }],
        budget,
      ),
    ).toThrow('examples[0] (sample e9): no user turn to show');
    // The agentic check shows only the skill names, so any example will do.
    const check = buildSynthesisMessages(
      defaultTemplates['agentic-check'],
      [{ skill: 'x', sampleId: 'e9', messages: [] }, examples[1]],
      budget,
    );
    expect(
      check.messages[1].content.startsWith('Skills: x, budgeting\n\nCan one concrete task'),
    ).toBe(true);
  });

  it('leaves placeholder-like text inside examples alone and omits an empty system', () => {
    const template: PromptTemplate = { ...defaultTemplates.fusion, system: '' };
    const tricky: AtomicExample = {
      skill: 'templating',
      sampleId: 't1',
      messages: [
        { role: 'user', content: 'What does {{k}} do in Jinja?' },
        { role: 'assistant', content: 'It prints k.' },
      ],
    };
    const { messages } = buildSynthesisMessages(template, [tricky], {
      maxPromptTokens: 1000,
      countTokens: words,
    });
    expect(messages.map((m) => m.role)).toEqual(['user']);
    expect(messages[0].content).toContain('User: What does {{k}} do in Jinja?');
  });
});

describe('templates', () => {
  it('the defaults are valid', () => {
    for (const template of Object.values(defaultTemplates)) {
      expect(() => validateTemplate(template)).not.toThrow();
    }
  });

  it('names a missing placeholder', () => {
    expect(() =>
      editTemplate(defaultTemplates.fusion, { user: 'Combine {{skills}} in one conversation.' }),
    ).toThrow(
      'template "user-fusion" v2: missing placeholder {{examples}} (a fusion template needs {{skills}} and {{examples}})',
    );
    expect(() =>
      validateTemplate({ ...defaultTemplates['agentic-check'], user: 'Is this agentic?' }),
    ).toThrow('template "steps-agentic-check" v1: missing placeholder {{skills}}');
  });

  it('names an unknown placeholder', () => {
    expect(() =>
      editTemplate(defaultTemplates.agentic, { system: 'Write {{count}} turns.' }),
    ).toThrow(
      'template "user-agentic" v2: system text has unknown placeholder {{count}} (allowed: {{k}}, {{skills}}, {{examples}})',
    );
  });

  it('an edit gets a new id and the next version; the default stays as it was', () => {
    const first = editTemplate(defaultTemplates.fusion, {
      user: `${defaultTemplates.fusion.user}\nKeep it short.`,
    });
    expect(first).toMatchObject({ id: 'user-fusion', kind: 'fusion', version: 2 });
    expect(first.system).toBe(defaultTemplates.fusion.system);
    const second = editTemplate(first, { system: 'Answer in JSON.' });
    expect(second).toMatchObject({ id: 'user-fusion', version: 3, system: 'Answer in JSON.' });
    expect(second.user).toBe(first.user);
    expect(defaultTemplates.fusion.version).toBe(1);
  });
});
