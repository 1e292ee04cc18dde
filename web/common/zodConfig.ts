import { z } from 'zod';

/*
 * Imported first by every app: zod's compiled parsers probe `new Function` on first use, which the
 * Content-Security-Policy (script-src 'self', no 'unsafe-eval') blocks and reports as a violation.
 */
z.config({ jitless: true });
