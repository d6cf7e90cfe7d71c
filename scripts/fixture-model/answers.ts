/**
 * Target answers the fixture model is trained to give: short, templated, always valid JSON in the
 * shape each prompt asks for, and mentioning every skill of the prompt by its exact name.
 */
type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** `a`, `a and b`, `a, b and c`. */
export function skillList(skills: readonly string[]): string {
  if (skills.length === 1) return skills[0];
  return `${skills.slice(0, -1).join(', ')} and ${skills[skills.length - 1]}`;
}

const USER_OPENERS = [
  'I have a task that needs {list}.',
  'Can you help me with something that combines {list}?',
  'My project mixes {list}.',
  'I need to use {list} together.',
] as const;

const USER_ASKS = [
  'Please walk me through it step by step.',
  'Where should I start?',
  'Keep the answer short.',
  'What is a good plan?',
] as const;

const STEP_CLAUSES = [
  'use {skill} for the first part',
  'apply {skill} to check the details',
  'bring in {skill} where it fits',
  'finish with {skill}',
] as const;

const FOLLOW_UPS = [
  'Thanks. How do I check the result?',
  'Good. What could go wrong?',
  'Can you give me one example?',
] as const;

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, name: string) => values[name]);

/** A fusion answer: one user/assistant pair, sometimes two, naming every skill. */
export function fusionAnswer(skills: readonly string[], random: Random): string {
  const list = skillList(skills);
  const user = `${fill(pick(random, USER_OPENERS), { list })} ${pick(random, USER_ASKS)}`;
  const steps = skills.map((skill, i) => {
    const clause = fill(STEP_CLAUSES[Math.min(i, STEP_CLAUSES.length - 1)], { skill });
    return i === 0
      ? `First, ${clause}.`
      : i === skills.length - 1
        ? `Then ${clause}.`
        : `Next, ${clause}.`;
  });
  const messages = [
    { role: 'user', content: user },
    { role: 'assistant', content: `Sure. ${steps.join(' ')}` },
  ];
  if (random() < 0.3) {
    messages.push(
      { role: 'user', content: pick(random, FOLLOW_UPS) },
      {
        role: 'assistant',
        content: `Check it with ${skills[skills.length - 1]} and then with ${skills[0]}.`,
      },
    );
  }
  return JSON.stringify(messages);
}

function tableData(random: Random): { data: string; total: number } {
  const items = ['apples', 'rent', 'books', 'fuel', 'tickets', 'coffee'];
  const rows: string[] = ['| item | amount |', '| --- | --- |'];
  let total = 0;
  const count = 2 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const amount = 1 + Math.floor(random() * 90);
    total += amount;
    rows.push(`| ${items[(i + Math.floor(random() * 6)) % 6]} | ${amount} |`);
  }
  return { data: rows.join('\n'), total };
}

function logData(random: Random): { data: string; total: number } {
  const lines: string[] = [];
  let total = 0;
  const count = 2 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const error = random() < 0.5;
    if (error) total++;
    lines.push(
      `10:${String(10 + i * 7).padStart(2, '0')} ${error ? 'ERROR' : 'INFO'} job ${i + 1}`,
    );
  }
  return { data: lines.join('\n'), total };
}

/** An agentic answer: the user gives data (a table or a log), the assistant plans and solves. */
export function agenticAnswer(skills: readonly string[], random: Random): string {
  const list = skillList(skills);
  const table = random() < 0.5;
  const { data, total } = table ? tableData(random) : logData(random);
  const user = table
    ? `Here is a table:\n${data}\nUse ${list} to find the total amount.`
    : `Here is a log:\n${data}\nUse ${list} to count the errors.`;
  const plan = skills.map((skill, i) => `${i + 2}. Apply ${skill}.`).join('\n');
  const result = table ? `The total amount is ${total}.` : `There are ${total} errors.`;
  const assistant = `Plan:\n1. Read the ${table ? 'table' : 'log'}.\n${plan}\nResult: ${result}`;
  return JSON.stringify([
    { role: 'user', content: user },
    { role: 'assistant', content: assistant },
  ]);
}

/** Skills that fit an agent working on data; a combination with one of them is "suitable". */
const DATA_SKILLS = new Set([
  'csv_processing',
  'data_cleaning',
  'data_interpretation',
  'data_visualization',
  'json_manipulation',
  'python_programming',
  'shell_scripting',
  'spreadsheet_formulas',
  'sql_querying',
  'statistics',
]);

/** Whether the fixture calls a combination suitable: one of its skills works on data. */
export function suitsAgent(skills: readonly string[]): boolean {
  return skills.some((skill) => DATA_SKILLS.has(skill));
}

export function agenticCheckAnswer(skills: readonly string[]): string {
  const dataSkill = skills.find((skill) => DATA_SKILLS.has(skill));
  return JSON.stringify(
    dataSkill
      ? { suitable: true, reason: `An agent can apply ${dataSkill} to a given table step by step.` }
      : { suitable: false, reason: `${skillList(skills)} do not need data to work on.` },
  );
}

/** The group is named after its most central skill, as written (one word for the name parser). */
export function namingAnswer(skills: readonly string[]): string {
  return JSON.stringify({ name: skills[0] });
}

/** The skills of the combination that the conversation names, in the combination's order. */
export function coverageAnswer(skills: readonly string[], shown: readonly string[]): string {
  return JSON.stringify({ covered: skills.filter((skill) => shown.includes(skill)) });
}

export function taggingAnswer(skills: readonly string[]): string {
  return JSON.stringify(skills);
}
