import type { Rule } from '../engine/rule';
import { trustAllCertificates } from './trust-all-certificates';

/** Every rule, in the order the docs list them. */
export const ALL_RULES: readonly Rule[] = [trustAllCertificates];
