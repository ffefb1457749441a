/** A rate as a percentage with one decimal. */
export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/** Dollars with enough digits for cheap calls; a dash for null. */
export function dollars(value: number | null): string {
  if (value === null) return '–';
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
}

/** A count or mean, rounded for tables. */
export function amount(value: number | null): string {
  if (value === null) return '–';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
