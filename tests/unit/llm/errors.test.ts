import { describe, expect, it } from 'vitest';
import {
  classifyLoadFailure,
  GpuDeviceLostError,
  LlmError,
  ModelLoadError,
  restoreLlmError,
} from '../../../src/llm/errors';

const context = { model: 'SmolLM2-360M-Instruct-q4f32_1-MLC', receivedBytes: false };
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('classifyLoadFailure', () => {
  it('turns each raw failure into the error the user can act on', () => {
    const cases: [unknown, boolean, string, string][] = [
      [
        new TypeError('Failed to fetch'),
        false,
        'ModelNotCachedOfflineError',
        'not cached and offline',
      ],
      [new TypeError('Failed to fetch'), true, 'ShardDownloadError', 'Clear the partial download'],
      [
        named('QuotaExceededError', 'The quota has been exceeded.'),
        false,
        'StorageQuotaError',
        'storage quota exceeded',
      ],
      [named('ShaderF16SupportError', 'no f16'), false, 'ShaderF16UnsupportedError', 'shader-f16'],
      [
        named('DeviceLostError', 'lost while loading'),
        false,
        'ModelTooLargeError',
        'ran out of memory',
      ],
      [named('WebGPUNotAvailableError', 'none'), false, 'WebGpuUnavailableError', 'no WebGPU'],
      [
        new Error('Error (503) occurred while trying to load file: "x".'),
        true,
        'ShardDownloadError',
        'intact',
      ],
      [
        new Error('Unsupported model type: mamba'),
        false,
        'ModelLoadError',
        'Unsupported model type',
      ],
    ];
    for (const [raw, receivedBytes, name, text] of cases) {
      const error = classifyLoadFailure(raw, { ...context, receivedBytes });
      expect(error.name).toBe(name);
      expect(error.message).toContain(text);
      expect(error).toBeInstanceOf(LlmError);
      expect((error as LlmError).waysOut.length).toBeGreaterThan(0);
    }
  });
});

describe('restoreLlmError', () => {
  it('gives an error that crossed a worker boundary its class and ways out back', () => {
    const crossed = named('GpuDeviceLostError', 'The graphics card stopped responding.');
    const restored = restoreLlmError(crossed);
    expect(restored).toBeInstanceOf(GpuDeviceLostError);
    expect((restored as GpuDeviceLostError).message).toBe(crossed.message);
    expect((restored as GpuDeviceLostError).waysOut).toEqual(['retry', 'use-wasm']);
    const other = new RangeError('temperature: 3 is outside 0…2.');
    expect(restoreLlmError(other)).toBe(other);
    const own = new ModelLoadError('x');
    expect(restoreLlmError(own)).toBe(own);
  });
});
