import { describe, expect, it } from 'vitest';
import { binomial, passAtK, passHatK } from './pass-at-k.ts';

describe('pass@k and pass^k', () => {
  it('computes binomials', () => {
    expect(binomial(5, 2)).toBe(10);
    expect(binomial(10, 0)).toBe(1);
    expect(binomial(3, 4)).toBe(0);
    expect(binomial(52, 5)).toBe(2_598_960);
  });

  it('matches hand-computed cases', () => {
    // n=5, c=2, k=2: 1 − C(3,2)/C(5,2) = 1 − 3/10; C(2,2)/C(5,2) = 1/10.
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
    expect(passHatK(5, 2, 2)).toBeCloseTo(0.1, 12);
    // n=4, c=3, k=3: 1 − C(1,3)/C(4,3) = 1; C(3,3)/C(4,3) = 1/4.
    expect(passAtK(4, 3, 3)).toBe(1);
    expect(passHatK(4, 3, 3)).toBeCloseTo(0.25, 12);
    // k=1 is the plain success rate.
    expect(passAtK(8, 3, 1)).toBeCloseTo(3 / 8, 12);
    expect(passHatK(8, 3, 1)).toBeCloseTo(3 / 8, 12);
  });

  it('is 0 when nothing succeeded and 1 when everything did', () => {
    expect(passAtK(3, 0, 3)).toBe(0);
    expect(passHatK(3, 0, 3)).toBe(0);
    expect(passAtK(3, 3, 3)).toBe(1);
    expect(passHatK(3, 3, 3)).toBe(1);
  });

  it('rejects impossible counts', () => {
    expect(() => passAtK(3, 4, 1)).toThrow(/pass@k needs/);
    expect(() => passHatK(3, 1, 4)).toThrow(/pass@k needs/);
  });
});
