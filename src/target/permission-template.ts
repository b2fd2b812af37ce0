/**
 * Filling a catalogue role template with a contract's values, and recognising the assignments a
 * template can produce (so that only roles the catalogue describes are ever touched).
 */
import { placeholdersIn, type RoleTemplate, TEMPLATE_FIELDS } from './permission-catalogue.js';
import { assignmentOf, type RoleAssignment } from './role-assignment.js';

/** The template with each placeholder replaced by its value. */
export function fillTemplate(
  template: RoleTemplate,
  values: ReadonlyMap<string, string>,
): RoleTemplate {
  const filled: RoleTemplate = { role: fill(template.role, values) };
  for (const field of TEMPLATE_FIELDS) {
    const value = template[field];
    if (field === 'role' || value === undefined) continue;
    filled[field] = value === null ? null : fill(value, values);
  }
  return filled;
}

/** Whether `assignment` is a pair the template yields for some (non-empty) placeholder values. */
export function templateMatches(template: RoleTemplate, assignment: RoleAssignment): boolean {
  const wanted = assignmentOf(template);
  const groups = new Map<string, number>();
  const role = patternOf(wanted.role, groups);
  const group = wanted.resourceGroup === null ? null : patternOf(wanted.resourceGroup, groups);
  if (group === null) {
    return assignment.resourceGroup === null && new RegExp(`^${role}$`, 'u').test(assignment.role);
  }
  if (assignment.resourceGroup === null) return false;
  // One expression over both values, so a placeholder used twice must hold the same value.
  const both = new RegExp(`^${role}\\u0000${group}$`, 'u');
  return both.test(`${assignment.role}\u0000${assignment.resourceGroup}`);
}

function fill(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{[^{}]+\}\}/g, (placeholder) => values.get(placeholder) ?? placeholder);
}

/** A regular expression source for a template value; placeholders capture, repeats refer back. */
function patternOf(text: string, groups: Map<string, number>): string {
  const placeholders = placeholdersIn(text);
  const literals = text.split(/\{\{[^{}]+\}\}/);
  let pattern = escape(literals[0] ?? '');
  placeholders.forEach((placeholder, index) => {
    const known = groups.get(placeholder);
    if (known === undefined) {
      groups.set(placeholder, groups.size + 1);
      pattern += '([^\\u0000]+?)';
    } else {
      pattern += `\\${known}`;
    }
    pattern += escape(literals[index + 1] ?? '');
  });
  return pattern;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
