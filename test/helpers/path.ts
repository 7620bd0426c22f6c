/** Finding host programs (engines, a C compiler) for tests that are skipped where they are missing. */
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const shared = require(join(__dirname, '../../scripts/on-path.cjs')) as { onPath(name: string): string | null };

/** The executable `name` on PATH, or null (found synchronously: tests are declared synchronously). */
export const onPath: (name: string) => string | null = shared.onPath;
