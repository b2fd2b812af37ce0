import { InputError } from '../errors.js';
import type { TargetAction } from './types.js';

export const run: TargetAction = async () => {
  throw new InputError('This action is not built yet.');
};
