import { describe, expect, it } from 'vitest';
import {
  formatAssignment,
  parseAssignment,
  sameAssignment,
} from '../../../src/target/role-assignment.js';

const AWKWARD = [
  { role: 'Planner', resourceGroup: 'ZRG-CAR' },
  { role: 'Plan&&ner', resourceGroup: 'Afd && "Zuid"' },
  { role: "Coördinator 'nacht'", resourceGroup: 'Crèche & Peuterzaal' },
  { role: '["x"]', resourceGroup: '\\", null]' },
  { role: 'Beheerder', resourceGroup: null },
  { role: 'a&&b', resourceGroup: 'c' },
  { role: 'a', resourceGroup: 'b&&c' },
];

describe('the role assignment pair', () => {
  it('survives its string form whatever the names hold', () => {
    for (const pair of AWKWARD) expect(parseAssignment(formatAssignment(pair))).toEqual(pair);
  });

  it('gives different strings to pairs a plain && join would confuse', () => {
    const a = formatAssignment({ role: 'a&&b', resourceGroup: 'c' });
    const b = formatAssignment({ role: 'a', resourceGroup: 'b&&c' });
    expect(a).not.toBe(b);
    expect(new Set(AWKWARD.map(formatAssignment)).size).toBe(AWKWARD.length);
  });

  it('refuses text that is not a pair', () => {
    for (const text of ['Planner&&ZRG', '["Planner"]', '[1,2]', '{"role":"x"}', '["", "g"]']) {
      expect(parseAssignment(text)).toBeUndefined();
    }
  });

  it('treats an empty resource group as none', () => {
    expect(
      sameAssignment({ role: 'R', resourceGroup: '' }, { role: 'R', resourceGroup: null }),
    ).toBe(true);
    expect(
      sameAssignment({ role: 'R', resourceGroup: 'g' }, { role: 'r', resourceGroup: 'g' }),
    ).toBe(false);
  });
});
