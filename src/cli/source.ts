import type { Handler } from './registry.js';
import { writeError } from './output.js';

export function sourceHandler(_kind: 'persons' | 'departments'): Handler {
  return async () => {
    writeError('This command is not built yet.');
    return 1;
  };
}
