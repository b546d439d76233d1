import { processIo } from './lib/io';
import { run } from './run';

// The `paybridge` bin: one command line, then exit with its code (the sandbox runs until Ctrl-C).
run(process.argv.slice(2), processIo()).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`paybridge: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
