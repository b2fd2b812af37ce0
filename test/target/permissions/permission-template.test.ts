import { describe, expect, it } from 'vitest';
import { fillTemplate, templateMatches } from '../../../src/target/permission-template.js';

describe('role templates', () => {
  it('fills every placeholder in every field', () => {
    const filled = fillTemplate(
      { role: 'Planner {{Code}}', resourceGroup: '{{Code}}-{{Team}}', userGroup: null },
      new Map([
        ['{{Code}}', 'CAR'],
        ['{{Team}}', '1A'],
      ]),
    );
    expect(filled).toEqual({ role: 'Planner CAR', resourceGroup: 'CAR-1A', userGroup: null });
  });

  it('recognises the pairs a template can yield, and only those', () => {
    const template = { role: 'Planner', resourceGroup: 'ZRG-{{Code}}' };
    expect(templateMatches(template, { role: 'Planner', resourceGroup: 'ZRG-C.A&&R "x"' })).toBe(
      true,
    );
    expect(templateMatches(template, { role: 'Planner', resourceGroup: 'ZRG-' })).toBe(false);
    expect(templateMatches(template, { role: 'Planner', resourceGroup: 'BEH-CAR' })).toBe(false);
    expect(templateMatches(template, { role: 'Planner', resourceGroup: null })).toBe(false);
    expect(templateMatches(template, { role: 'Medewerker', resourceGroup: 'ZRG-CAR' })).toBe(false);
  });

  it('treats regular-expression characters in names literally', () => {
    const template = { role: 'R.(x)', resourceGroup: '{{G}}' };
    expect(templateMatches(template, { role: 'R.(x)', resourceGroup: 'g' })).toBe(true);
    expect(templateMatches(template, { role: 'RA(x)', resourceGroup: 'g' })).toBe(false);
  });

  it('needs a placeholder used twice to hold the same value', () => {
    const template = { role: 'Planner {{Code}}', resourceGroup: '{{Code}}' };
    expect(templateMatches(template, { role: 'Planner CAR', resourceGroup: 'CAR' })).toBe(true);
    expect(templateMatches(template, { role: 'Planner CAR', resourceGroup: 'NEU' })).toBe(false);
  });

  it('matches a static template only by its own pair', () => {
    const template = { role: 'Beheerder', resourceGroup: null };
    expect(templateMatches(template, { role: 'Beheerder', resourceGroup: null })).toBe(true);
    expect(templateMatches(template, { role: 'Beheerder', resourceGroup: 'ZRG' })).toBe(false);
  });
});
