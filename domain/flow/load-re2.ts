import { RE2JS } from 're2js';
import { providePatternEngine } from './patterns.js';

/** Loads RE2 for admin patterns in Node code (the validator, tests); workflow code loads it lazily instead. */
providePatternEngine(RE2JS);
