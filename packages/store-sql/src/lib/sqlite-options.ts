import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PaybridgeError } from '@paybridge/core';
import { isFile } from './file-lock';

const STORE = 'sqliteStore';

interface Problem {
  field: string;
  message: string;
}

function invalid(problems: Problem[]): PaybridgeError {
  return new PaybridgeError(
    'INVALID_CONFIG',
    problems.map((problem) => `${STORE}: ${problem.field}: ${problem.message}`).join('; '),
    { details: { store: 'sqlite', problems } },
  );
}

/** The optional settings: what a value must be, checked only when one is given. */
const OPTIONAL: Record<string, [valid: (value: unknown) => boolean, message: string]> = {
  busyTimeoutMs: [
    (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0,
    'must be a number of milliseconds, 0 or more',
  ],
  autoMigrate: [(value) => typeof value === 'boolean', 'must be true or false'],
  maxCasRetries: [
    (value) => Number.isInteger(value) && (value as number) >= 0,
    'must be a whole number, 0 or more',
  ],
};
const KNOWN = ['filename', ...Object.keys(OPTIONAL)];

function optionProblems(options: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const { filename } = options;
  if (typeof filename !== 'string' || filename.trim() === '') {
    problems.push({
      field: 'filename',
      message: 'must be the path of the database file (or ":memory:" for a throw-away database)',
    });
  } else if (filename.includes('\0')) {
    problems.push({ field: 'filename', message: 'must not contain a NUL character' });
  }
  for (const [field, [valid, message]] of Object.entries(OPTIONAL)) {
    if (options[field] !== undefined && !valid(options[field])) problems.push({ field, message });
  }
  for (const name of Object.keys(options)) {
    if (!KNOWN.includes(name))
      problems.push({ field: name, message: `unknown option (known: ${KNOWN.join(', ')})` });
  }
  return problems;
}

/**
 * Checks `sqliteStore`'s options and prepares its file's folder when the store is created, so that
 * a typo or an unwritable path fails at start-up, naming the option, rather than at the first
 * payment as a 503 (issue 21). The file itself is opened by `migrate()` or the first query.
 */
export function checkSqliteOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw invalid([{ field: '(options)', message: 'must be an object with a filename' }]);
  }
  const problems = optionProblems(options as Record<string, unknown>);
  if (problems.length > 0) throw invalid(problems);
  const filename = (options as { filename: string }).filename;
  if (!isFile(filename)) return;
  const path = resolve(filename);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    // Node's file system functions throw an Error (ENOTDIR, EACCES, …) whose message names the cause.
    const reason = (error as Error).message;
    throw invalid([{ field: 'filename', message: `cannot create the folder ${dirname(path)}: ${reason}` }]);
  }
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) {
    throw invalid([{ field: 'filename', message: `${path} is a folder, not a database file` }]);
  }
}
