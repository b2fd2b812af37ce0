import type { Handler } from './registry.js';
import { writeError } from './output.js';

export const mappingPreviewHandler: Handler = async () => {
  writeError('This command is not built yet.');
  return 1;
};
