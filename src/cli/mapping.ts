/**
 * `inplanning mapping preview`: prints the Data a field mapping gives a person for one action,
 * offline (no settings, no network), so an administrator can check a mapping by hand.
 */
import * as z from 'zod';
import { InputError, describeError } from '../errors.js';
import { isObject, readJsonFile } from '../mapping/file.js';
import {
  computeData,
  loadFieldMapping,
  parseMappingAction,
  type FieldMapping,
  type MappingAction,
} from '../mapping/target.js';
import { printJson, writeError } from './output.js';
import type { Handler } from './registry.js';

const required = (flag: string, what: string) =>
  z
    .string({ error: `The ${flag} option is required: ${what}.` })
    .trim()
    .min(1, {
      error: `The ${flag} option needs a value: ${what}.`,
    });

const previewOptionsSchema = z.object({
  mapping: required('--mapping', 'the fieldMapping.json to preview'),
  person: required('--person', 'a JSON file holding the Person object'),
  action: required('--action', 'Create, Update, Enable, Disable or Delete'),
});

interface Preview {
  mapping: FieldMapping;
  action: MappingAction;
  person: Record<string, unknown>;
}

export const mappingPreviewHandler: Handler = async (run) => {
  let preview: Preview;
  try {
    preview = preparePreview(run.options);
  } catch (error) {
    writeError(describeError(error));
    return 2;
  }

  try {
    const data = computeData(preview.mapping, preview.action, {
      Person: preview.person,
      Manager: {},
    });
    printJson(data);
    return 0;
  } catch (error) {
    // A script that throws or a value of the wrong shape is the mapping failing (exit 1).
    writeError(describeError(error));
    return error instanceof InputError ? 2 : 1;
  }
};

/** Checks the flags and reads both files; every problem here is an invocation error. */
function preparePreview(options: Record<string, unknown>): Preview {
  const parsed = previewOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new InputError(parsed.error.issues[0]?.message ?? 'The options are invalid.');
  }
  const action = parseMappingAction(parsed.data.action);
  const mapping = loadFieldMapping(parsed.data.mapping);
  const person = readJsonFile(parsed.data.person, 'person file');
  if (!isObject(person)) {
    throw new InputError(`The person file ${parsed.data.person} must hold one JSON object.`);
  }
  return { mapping, action, person };
}
