import type { Handler, TargetActionName } from './registry.js';
import { writeError } from './output.js';

export function targetHandler(_name: TargetActionName): Handler {
  return async () => {
    writeError('This command is not built yet.');
    return 1;
  };
}
