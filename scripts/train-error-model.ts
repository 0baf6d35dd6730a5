/**
 * `npm run doctor:train`: trains the doctor's error model (electron/engine/doctor/model) from
 * the labelled corpora's tune parts and our own corpus — never from a holdout part, which
 * exists to measure how well rules and model generalise. Writes errorModel.json; a test
 * fails when the shipped file is not what this script produces from the current corpora.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  modelTrainingFiles,
  trainShippedModel,
} from '../electron/engine/doctor/model/trainingSet.ts';

const ROOT = join(import.meta.dirname, '..');
const out = join(ROOT, 'electron/engine/doctor/model/errorModel.json');
const data = trainShippedModel(ROOT);
writeFileSync(out, `${JSON.stringify(data)}\n`);
process.stdout.write(
  `trained on ${modelTrainingFiles(ROOT).length} files (${data.docs.reduce((a, b) => a + b, 0)} records), ${Object.keys(data.features).length} features → ${out}\n`,
);
