/**
 * The script a probe runs: the marker (exported, so nested shells name their files and processes with
 * it), a start line the judge looks for, and the bash functions `attempt` and `listing` below call.
 */
export function probeScript(marker: string, body: string): string {
  return [
    `export M=${marker}`,
    'echo "probe-started $M"',
    'attempt() {',
    '  out=$(bash -c "$2" 2>&1 </dev/null); status=$?',
    '  [ -n "$out" ] && printf "%s\\n" "$out" | head -c 4000',
    '  lines=$(printf "%s\\n" "$out" | sed -e "s/^[[:space:]]*//" | grep -v "^$")',
    '  if [ "$status" -eq 0 ]; then',
    '    verdict=succeeded; detail=$(printf "%s\\n" "$lines" | tail -n 1)',
    '    [ "$3" = reads ] && detail="printed $(printf "%s" "$out" | wc -c) bytes"',
    '  else',
    '    verdict="failed ($status)"; detail=$(printf "%s\\n" "$lines" | head -n 1)',
    '  fi',
    '  detail=$(printf "%s" "$detail" | cut -c 1-90)',
    '  [ -n "$detail" ] && verdict="$verdict: $detail"',
    '  echo "RESULT $1: $verdict"',
    '}',
    'listing() {',
    '  echo "BEGIN $1"; found=$(bash -c "$2" 2>/dev/null </dev/null); [ -n "$found" ] && echo "$found"; echo "END $1"',
    '  if [ -z "$found" ]; then echo "RESULT $1: nothing visible"; else',
    '    echo "RESULT $1: $(echo "$found" | wc -l) visible: $(echo "$found" | head -n 5 | tr "\\n" " ")"; fi',
    '}',
    body,
  ].join('\n');
}

/** The line every probe script prints first; its absence means the attack never ran. */
export function startLine(marker: string): string {
  return `probe-started ${marker}`;
}

/**
 * A line that runs `code` in its own bash and reports it as `RESULT <label>: succeeded|failed (...)`,
 * after printing its whole output (so a secret it read reaches the judge). The RESULT line quotes the
 * output's last line on success and its first (the error) on failure.
 */
export function attempt(label: string, code: string): string {
  return `attempt ${shellQuote(label)} ${shellQuote(code)}`;
}

/**
 * The same for code that reads something secret: on success its RESULT line gives the byte count, not
 * the last line, so the table (which goes to CI logs and docs) never quotes what was read.
 */
export function readAttempt(label: string, code: string): string {
  return `${attempt(label, code)} reads`;
}

/**
 * A line that prints what `code` prints (errors dropped) between `BEGIN <name>` and `END <name>`, and
 * a RESULT line saying how many entries showed.
 */
export function listing(name: string, code: string): string {
  return `listing ${shellQuote(name)} ${shellQuote(code)}`;
}

/** Quotes a string as one bash word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
