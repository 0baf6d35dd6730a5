import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import { ErrorModel, trainErrorModel } from '../../electron/engine/doctor/model/ErrorModel.ts';
import { errorTokens } from '../../electron/engine/doctor/model/errorTokens.ts';
import {
  modelTrainingFiles,
  trainShippedModel,
} from '../../electron/engine/doctor/model/trainingSet.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the error model', () => {
  it('is shipped as trained from the current corpora, and never from a holdout part', () => {
    const shipped = JSON.parse(
      readFileSync(resolve(ROOT, 'electron/engine/doctor/model/errorModel.json'), 'utf8'),
    ) as unknown;
    expect(shipped, 'run `npm run doctor:train`').toEqual(trainShippedModel(ROOT));
    expect(modelTrainingFiles(ROOT).some((f) => f.includes('holdout'))).toBe(false);
  });

  it('reads words, word pairs and structured marks', () => {
    const t = errorTokens({
      message: 'Request failed with status code 403',
      status: 403,
      name: 'AxiosError',
      body: 'Access to this page has been denied',
    });
    expect(t).toEqual(
      expect.arrayContaining([
        'status:403',
        'status:4xx',
        'name:axioserror',
        'denied',
        'access page',
      ]),
    );
  });

  it('learns from examples and explains itself with the words that decided', () => {
    const data = trainErrorModel(
      [
        { message: 'the vault is sealed', expected: 'systemic' },
        { message: 'vault sealed again', expected: 'systemic' },
        { message: 'widget missing from shelf', expected: 'item_specific' },
        { message: 'widget gone from shelf', expected: 'item_specific' },
      ],
      'test',
      1,
    );
    const v = new ErrorModel(data).classify({ message: 'sealed vault' });
    expect(v?.class).toBe('systemic');
    expect(v?.evidence).toEqual(expect.arrayContaining(['vault', 'sealed']));
    expect(new ErrorModel(data).classify({ message: 'zzz qqq' })).toBeUndefined();
  });

  it('answers in the doctor where no rule speaks, with source `model`, only when sure', async () => {
    const doctor = new Doctor();
    const d = await doctor.diagnose({
      message:
        'Thank you for using our service! Our standard API call frequency is 5 calls per minute and 500 calls per day.',
    });
    expect(d.source).toBe('rule');
    const quiet = await new Doctor({ model: null }).diagnose({ message: 'zzz qqq' });
    expect(quiet.source).toBe('fallback');
  });
});
