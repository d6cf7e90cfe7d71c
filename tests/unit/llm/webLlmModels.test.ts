// WebLLM's real model list (prebuiltAppConfig of @mlc-ai/web-llm 0.2.86) as the manager shows it.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { webLlmChatModels, webLlmProgress } from '../../../src/llm/webLlmModels';

describe('webLlmChatModels', () => {
  const all = webLlmChatModels(prebuiltAppConfig, true);
  const noF16 = webLlmChatModels(prebuiltAppConfig, false);

  it('keeps chat models only, smallest first, with their memory needs', () => {
    const ids = all.map((m) => m.modelId);
    expect(ids).toContain('SmolLM2-360M-Instruct-q4f32_1-MLC');
    expect(ids.some((id) => id.startsWith('snowflake-arctic-embed'))).toBe(false);
    expect(all.every((m, i) => i === 0 || all[i - 1].vramMB <= m.vramMB)).toBe(true);
    expect(all.find((m) => m.modelId === 'SmolLM2-360M-Instruct-q4f32_1-MLC')).toMatchObject({
      vramMB: 579.61,
      needsF16: false,
      lowResource: true,
    });
  });

  it('hides every 16-bit model when the adapter lacks shader-f16', () => {
    expect(noF16.length).toBeGreaterThan(20);
    expect(noF16.length).toBeLessThan(all.length);
    expect(noF16.some((m) => /f16/.test(m.modelId) || m.needsF16)).toBe(false);
    // Some f16 builds do not declare the feature; their names still mark them.
    const undeclared = prebuiltAppConfig.model_list.find(
      (r) => /-q4f16/.test(r.model_id) && !r.required_features?.includes('shader-f16'),
    );
    expect(undeclared).toBeDefined();
    expect(all.find((m) => m.modelId === undeclared!.model_id)?.needsF16).toBe(true);
  });
});

describe('webLlmProgress', () => {
  it('reads bytes out of the progress text', () => {
    const progress = webLlmProgress({
      progress: 0.25,
      timeElapsed: 3,
      text: 'Fetching param cache[3/22]: 120MB fetched. 25% completed, 3 secs elapsed.',
    });
    expect(progress).toEqual({ loadedBytes: 120 * 2 ** 20, totalBytes: 480 * 2 ** 20 });
    expect(
      webLlmProgress({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' }),
    ).toBeNull();
  });
});
