import type { Random } from '../random';

/**
 * Words of ordinary app and service code. Chosen for realism, not to dodge or to hit the rules'
 * trigger words: everyday code does say `rawValue`, `hashCode`, `dart:convert`, `Spinner`.
 */
export const ENTITIES = [
  'user', 'account', 'order', 'product', 'cart', 'invoice', 'payment', 'session', 'profile', 'message',
  'notification', 'comment', 'review', 'address', 'shipment', 'coupon', 'wishlist', 'category', 'inventory',
  'booking', 'ticket', 'event', 'subscription', 'report', 'device', 'setting', 'document', 'upload', 'task',
  'project', 'team', 'member', 'role', 'permission', 'channel', 'conversation', 'attachment', 'location',
  'store', 'price', 'discount', 'refund', 'customer', 'vendor', 'warehouse', 'delivery', 'schedule', 'reminder',
] as const;

export const VERBS = [
  'fetch', 'load', 'save', 'update', 'delete', 'create', 'sync', 'refresh', 'validate', 'format', 'parse',
  'filter', 'sort', 'compute', 'render', 'build', 'handle', 'submit', 'cancel', 'retry', 'track', 'resolve',
  'merge', 'archive', 'restore', 'share', 'export', 'import', 'count', 'find', 'select', 'apply', 'clear',
] as const;

export interface Field {
  name: string;
  kind: 'string' | 'int' | 'double' | 'bool' | 'date' | 'stringList';
}

export const FIELDS: readonly Field[] = [
  { name: 'id', kind: 'string' }, { name: 'name', kind: 'string' }, { name: 'title', kind: 'string' },
  { name: 'description', kind: 'string' }, { name: 'createdAt', kind: 'date' }, { name: 'updatedAt', kind: 'date' },
  { name: 'status', kind: 'string' }, { name: 'total', kind: 'double' }, { name: 'quantity', kind: 'int' },
  { name: 'email', kind: 'string' }, { name: 'phone', kind: 'string' }, { name: 'avatarUrl', kind: 'string' },
  { name: 'isActive', kind: 'bool' }, { name: 'count', kind: 'int' }, { name: 'tags', kind: 'stringList' },
  { name: 'notes', kind: 'string' }, { name: 'amount', kind: 'double' }, { name: 'currency', kind: 'string' },
  { name: 'ownerId', kind: 'string' }, { name: 'position', kind: 'int' }, { name: 'isArchived', kind: 'bool' },
  { name: 'dueDate', kind: 'date' }, { name: 'rating', kind: 'double' }, { name: 'locale', kind: 'string' },
  { name: 'version', kind: 'int' }, { name: 'slug', kind: 'string' }, { name: 'labels', kind: 'stringList' },
];

export const STATUSES = ['pending', 'active', 'completed', 'failed', 'cancelled', 'draft', 'archived', 'processing'] as const;

export const UI_WORDS = [
  'header', 'footer', 'list', 'item', 'card', 'tile', 'badge', 'banner', 'dialog', 'sheet', 'form', 'field',
  'button', 'avatar', 'toolbar', 'tabs', 'summary', 'detail', 'empty', 'error', 'loading', 'spinner', 'grid', 'row',
] as const;

export const LOG_MESSAGES = [
  'request failed', 'retrying after timeout', 'cache miss', 'loaded from cache', 'user signed out', 'saved changes',
  'validation failed', 'received update', 'sync finished', 'no results', 'invalid response', 'queued for upload',
] as const;

export function pascal(...words: string[]): string {
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

export function camel(...words: string[]): string {
  const p = pascal(...words);
  return p.charAt(0).toLowerCase() + p.slice(1);
}

export function snake(...words: string[]): string {
  return words.map((w) => w.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)).join('_');
}

export function kebab(...words: string[]): string {
  return snake(...words).replace(/_/g, '-');
}

export function plural(word: string): string {
  if (word.endsWith('y') && !/[aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

export function fieldsFor(random: Random, min = 3, max = 8): Field[] {
  const picked = random.sample(FIELDS.slice(1), random.int(min, max) - 1);
  return [FIELDS[0], ...picked];
}

export function sentence(random: Random, entity: string): string {
  return random.pick([
    `Loads and caches ${plural(entity)} for the current ${random.pick(ENTITIES)}.`,
    `Keeps the ${entity} list in step with the server.`,
    `Maps ${entity} records from the API into view models.`,
    `Handles the ${entity} screen's user actions.`,
    `Validates ${entity} input before it is sent.`,
    `Formats ${entity} values for display.`,
    `The ${entity} as the backend returns it.`,
    `Retries failed ${entity} requests with backoff.`,
  ]);
}

/** Distinct method names for a growing class: `fetchOrders`, `syncOrders`, … then `fetchOrders2`. */
export function methodNames(random: Random, entity: string): () => string {
  const used = new Map<string, number>();
  return () => {
    const base = camel(random.pick(VERBS), plural(entity));
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}${n}`;
  };
}

/**
 * Names real app code gives to values holding pin, hash or cert that are no pin sets (a PIN
 * code, a password hash, a certificate screen), by the entities they come with: the files of
 * those entities carry them. `hashtag` and `spinner` hold the words without naming them.
 */
const PIN_CODE: readonly Field[] = [
  { name: 'pinCode', kind: 'string' }, { name: 'pinInput', kind: 'string' }, { name: 'pinCodeLength', kind: 'int' },
  { name: 'passwordHash', kind: 'string' }, { name: 'hashedPassword', kind: 'string' },
];
const PINNED: readonly Field[] = [
  { name: 'pinnedMessages', kind: 'stringList' }, { name: 'hashtag', kind: 'string' }, { name: 'isPinned', kind: 'bool' },
  { name: 'pinnedItems', kind: 'stringList' },
];
const FILE_HASH: readonly Field[] = [
  { name: 'fileHash', kind: 'string' }, { name: 'contentHash', kind: 'string' }, { name: 'imageHash', kind: 'string' },
];
const CERTIFICATE: readonly Field[] = [
  { name: 'certificateUrl', kind: 'string' }, { name: 'certPath', kind: 'string' }, { name: 'certificateId', kind: 'string' },
  { name: 'certExpiry', kind: 'date' }, { name: 'certificatesScreen', kind: 'string' },
];

export const LOOKALIKES: Readonly<Partial<Record<(typeof ENTITIES)[number], readonly Field[]>>> = {
  user: PIN_CODE, account: PIN_CODE, session: PIN_CODE, profile: [...PIN_CODE.slice(0, 3), FILE_HASH[2]],
  payment: PIN_CODE.slice(0, 3), message: PINNED, conversation: PINNED, channel: PINNED, comment: PINNED.slice(0, 3),
  attachment: FILE_HASH, upload: FILE_HASH, document: [...FILE_HASH, ...CERTIFICATE.slice(0, 2)],
  device: CERTIFICATE, permission: CERTIFICATE.slice(2), product: [PINNED[3], FILE_HASH[2]], wishlist: [PINNED[3]],
  project: [{ name: 'commitHash', kind: 'string' }, PINNED[3]], team: [PINNED[3], PINNED[2]],
};

/** What an app's screens say next to those values (UI labels, not pin sets); generic labels otherwise. */
const LABELS: readonly [RegExp, readonly string[]][] = [
  [/^(pinCode|pinInput|pinCodeLength|passwordHash|hashedPassword)$/, ['Enter PIN', 'Change PIN', 'Forgot PIN?', 'PIN must be 6 digits']],
  [/^(pinnedMessages|pinnedItems|isPinned|hashtag)$/, ['Pinned', 'Pin to top', 'Unpin', 'Trending hashtags']],
  [/^(fileHash|contentHash|imageHash)$/, ['Verifying file…', 'Checksum', 'Upload complete']],
  [/^cert/, ['Certificates', 'Download certificate', 'Certificate expired']],
  [/./, ['Details', 'Settings', 'Save', 'Try again', 'Show more', 'Loading…']],
];

export function labelFor(random: Random, fieldName: string): string {
  return random.pick(LABELS.find(([names]) => names.test(fieldName))![1]);
}

/** Every label above: what a strings.xml of such an app holds among its other texts. */
export const UI_LABELS: readonly string[] = LABELS.flatMap(([, labels]) => labels);
