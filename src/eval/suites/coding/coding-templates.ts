/** One small function a generated repository is built around: a correct and a buggy body, and its tests. */
export interface FunctionTemplate {
  name: string;
  description: string;
  parameters: string;
  correct: string;
  buggy: string;
  /** Assertions over `name`, one expression per line (node:assert/strict is `assert`). */
  tests: string[];
}

/** The functions of the coding suite; each becomes a bug fix, a function to write or a refactor. */
export const functionTemplates: readonly FunctionTemplate[] = [
  {
    name: 'sumRange',
    description: 'the sum of the integers from a to b, both included',
    parameters: 'a, b',
    correct: 'let total = 0; for (let i = a; i <= b; i++) total += i; return total;',
    buggy: 'let total = 0; for (let i = a; i < b; i++) total += i; return total;',
    tests: ['assert.equal(sumRange(1, 4), 10)', 'assert.equal(sumRange(3, 3), 3)'],
  },
  {
    name: 'maxOf',
    description: 'the largest number of a non-empty array',
    parameters: 'values',
    correct: 'return values.reduce((best, value) => (value > best ? value : best), values[0]);',
    buggy: 'return values.reduce((best, value) => (value > best ? value : best), 0);',
    tests: ['assert.equal(maxOf([1, 5, 2]), 5)', 'assert.equal(maxOf([-3, -1, -2]), -1)'],
  },
  {
    name: 'isPalindrome',
    description: 'whether a word reads the same backwards, ignoring case',
    parameters: 'word',
    correct: 'const lower = word.toLowerCase(); return lower === [...lower].reverse().join("");',
    buggy: 'return word === [...word].reverse().join("");',
    tests: ['assert.equal(isPalindrome("Level"), true)', 'assert.equal(isPalindrome("abc"), false)'],
  },
  {
    name: 'countVowels',
    description: 'how many of a, e, i, o, u (any case) a text has',
    parameters: 'text',
    correct: 'return (text.match(/[aeiou]/gi) ?? []).length;',
    buggy: 'return (text.match(/[aeiou]/g) ?? []).length;',
    tests: ['assert.equal(countVowels("Apple"), 2)', 'assert.equal(countVowels("xyz"), 0)'],
  },
  {
    name: 'clamp',
    description: 'x limited to the range low..high',
    parameters: 'x, low, high',
    correct: 'return Math.min(high, Math.max(low, x));',
    buggy: 'return Math.max(high, Math.min(low, x));',
    tests: [
      'assert.equal(clamp(5, 0, 3), 3)',
      'assert.equal(clamp(-1, 0, 3), 0)',
      'assert.equal(clamp(2, 0, 3), 2)',
    ],
  },
  {
    name: 'fizzBuzz',
    description: '"FizzBuzz" for multiples of 15, "Fizz" of 3, "Buzz" of 5, else the number as text',
    parameters: 'n',
    correct:
      'if (n % 15 === 0) return "FizzBuzz"; if (n % 3 === 0) return "Fizz"; if (n % 5 === 0) return "Buzz"; return String(n);',
    buggy:
      'if (n % 3 === 0) return "Fizz"; if (n % 5 === 0) return "Buzz"; if (n % 15 === 0) return "FizzBuzz"; return String(n);',
    tests: [
      'assert.equal(fizzBuzz(15), "FizzBuzz")',
      'assert.equal(fizzBuzz(9), "Fizz")',
      'assert.equal(fizzBuzz(7), "7")',
    ],
  },
  {
    name: 'reverseWords',
    description: 'the words of a sentence in reverse order, single spaces',
    parameters: 'sentence',
    correct: 'return sentence.trim().split(/\\s+/).reverse().join(" ");',
    buggy: 'return sentence.split(" ").reverse().join(" ");',
    tests: [
      'assert.equal(reverseWords("a b  c"), "c b a")',
      'assert.equal(reverseWords(" hi there "), "there hi")',
    ],
  },
  {
    name: 'capitalizeWords',
    description: 'every word with its first letter in upper case',
    parameters: 'text',
    correct: 'return text.split(" ").map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(" ");',
    buggy: 'return text.charAt(0).toUpperCase() + text.slice(1);',
    tests: ['assert.equal(capitalizeWords("hello big world"), "Hello Big World")'],
  },
  {
    name: 'average',
    description: 'the mean of an array of numbers, 0 for an empty array',
    parameters: 'values',
    correct:
      'return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;',
    buggy: 'return values.reduce((sum, value) => sum + value, 0) / values.length;',
    tests: ['assert.equal(average([2, 4]), 3)', 'assert.equal(average([]), 0)'],
  },
  {
    name: 'dedupe',
    description: 'the array without repeated values, first occurrences kept in order',
    parameters: 'values',
    correct: 'return [...new Set(values)];',
    buggy: 'return [...new Set(values)].sort();',
    tests: ['assert.deepEqual(dedupe([3, 1, 3, 2, 1]), [3, 1, 2])'],
  },
  {
    name: 'factorial',
    description: 'n! for a whole number n (0! is 1)',
    parameters: 'n',
    correct: 'let result = 1; for (let i = 2; i <= n; i++) result *= i; return result;',
    buggy: 'let result = 0; for (let i = 1; i <= n; i++) result *= i; return result;',
    tests: ['assert.equal(factorial(0), 1)', 'assert.equal(factorial(5), 120)'],
  },
  {
    name: 'fibonacci',
    description: 'the n-th Fibonacci number, with fibonacci(0) = 0 and fibonacci(1) = 1',
    parameters: 'n',
    correct: 'let a = 0; let b = 1; for (let i = 0; i < n; i++) [a, b] = [b, a + b]; return a;',
    buggy: 'let a = 1; let b = 1; for (let i = 0; i < n; i++) [a, b] = [b, a + b]; return a;',
    tests: ['assert.equal(fibonacci(0), 0)', 'assert.equal(fibonacci(10), 55)'],
  },
  {
    name: 'gcd',
    description: 'the greatest common divisor of two positive integers',
    parameters: 'a, b',
    correct: 'while (b !== 0) [a, b] = [b, a % b]; return a;',
    buggy: 'while (b !== 0) [a, b] = [b, b % a]; return a;',
    tests: ['assert.equal(gcd(12, 18), 6)', 'assert.equal(gcd(7, 5), 1)'],
  },
  {
    name: 'isLeapYear',
    description: 'whether a year is a leap year in the Gregorian calendar',
    parameters: 'year',
    correct: 'return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;',
    buggy: 'return year % 4 === 0;',
    tests: [
      'assert.equal(isLeapYear(2024), true)',
      'assert.equal(isLeapYear(1900), false)',
      'assert.equal(isLeapYear(2000), true)',
    ],
  },
  {
    name: 'celsiusToFahrenheit',
    description: 'degrees Celsius converted to Fahrenheit',
    parameters: 'celsius',
    correct: 'return (celsius * 9) / 5 + 32;',
    buggy: 'return (celsius * 5) / 9 + 32;',
    tests: ['assert.equal(celsiusToFahrenheit(100), 212)', 'assert.equal(celsiusToFahrenheit(-40), -40)'],
  },
  {
    name: 'median',
    description: 'the median of a non-empty array of numbers',
    parameters: 'values',
    correct:
      'const sorted = [...values].sort((a, b) => a - b); const middle = Math.floor(sorted.length / 2); return sorted.length % 2 === 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle];',
    buggy: 'const sorted = [...values].sort(); return sorted[Math.floor(sorted.length / 2)];',
    tests: ['assert.equal(median([3, 1, 2]), 2)', 'assert.equal(median([10, 2, 4, 8]), 6)'],
  },
  {
    name: 'chunk',
    description: 'the array split into arrays of `size` items (the last may be shorter)',
    parameters: 'values, size',
    correct:
      'const chunks = []; for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size)); return chunks;',
    buggy:
      'const chunks = []; for (let i = 0; i < values.length - size; i += size) chunks.push(values.slice(i, i + size)); return chunks;',
    tests: ['assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]])'],
  },
  {
    name: 'flattenOnce',
    description: 'an array of arrays flattened by one level',
    parameters: 'arrays',
    correct: 'return arrays.flat(1);',
    buggy: 'return arrays.flat(Infinity);',
    tests: ['assert.deepEqual(flattenOnce([[1, [2]], [3]]), [1, [2], 3])'],
  },
  {
    name: 'range',
    description: 'the numbers from start up to (not including) end, by step',
    parameters: 'start, end, step',
    correct: 'const values = []; for (let i = start; i < end; i += step) values.push(i); return values;',
    buggy: 'const values = []; for (let i = start; i <= end; i += step) values.push(i); return values;',
    tests: ['assert.deepEqual(range(0, 10, 3), [0, 3, 6, 9])', 'assert.deepEqual(range(2, 4, 1), [2, 3])'],
  },
  {
    name: 'countWords',
    description: 'how many words (runs of non-space characters) a text has',
    parameters: 'text',
    correct: 'return text.trim() === "" ? 0 : text.trim().split(/\\s+/).length;',
    buggy: 'return text.split(" ").length;',
    tests: ['assert.equal(countWords("  one two   three "), 3)', 'assert.equal(countWords(""), 0)'],
  },
  {
    name: 'toSnakeCase',
    description: 'a camelCase name in snake_case',
    parameters: 'name',
    correct: 'return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();',
    buggy: 'return name.toLowerCase();',
    tests: ['assert.equal(toSnakeCase("fooBarBaz"), "foo_bar_baz")'],
  },
  {
    name: 'sumDigits',
    description: 'the sum of the decimal digits of a non-negative integer',
    parameters: 'n',
    correct: 'return [...String(n)].reduce((sum, digit) => sum + Number(digit), 0);',
    buggy: 'return [...String(n)].reduce((sum, digit) => sum + digit, 0);',
    tests: ['assert.equal(sumDigits(1234), 10)', 'assert.equal(sumDigits(0), 0)'],
  },
];
