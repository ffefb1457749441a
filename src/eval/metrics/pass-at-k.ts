/** C(n, k) as a float; 0 when k > n. Computed as a running product to stay exact for small n. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const smaller = Math.min(k, n - k);
  let result = 1;
  for (let index = 1; index <= smaller; index++) result = (result * (n - smaller + index)) / index;
  return result;
}

/** pass@k = 1 − C(n−c, k) / C(n, k): the chance that at least one of k trials drawn from n succeeds. */
export function passAtK(n: number, c: number, k: number): number {
  checkCounts(n, c, k);
  return 1 - binomial(n - c, k) / binomial(n, k);
}

/** pass^k = C(c, k) / C(n, k): the chance that all of k trials drawn from n succeed. */
export function passHatK(n: number, c: number, k: number): number {
  checkCounts(n, c, k);
  return binomial(c, k) / binomial(n, k);
}

function checkCounts(n: number, c: number, k: number): void {
  if (
    !(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k)) ||
    c < 0 ||
    c > n ||
    k < 1 ||
    k > n
  )
    throw new Error(`pass@k needs integers with 0 <= c <= n and 1 <= k <= n, got n=${n} c=${c} k=${k}`);
}
