/**
 * Backend-author helpers that moved to `@paybridge/core/kit`, still exported from the root for one
 * transition so that backends written against the old root keep compiling. Import them from
 * `@paybridge/core/kit`; these aliases go away in a later minor release.
 */
import * as kit from './kit';

/** @deprecated Import from `@paybridge/core/kit`. */
export type HmacAlgorithm = kit.HmacAlgorithm;
/** @deprecated Import from `@paybridge/core/kit`. */
export type ApplyFactsResult = kit.ApplyFactsResult;
/** @deprecated Import from `@paybridge/core/kit`. */
export type FactOutcome = kit.FactOutcome;

/** @deprecated Import from `@paybridge/core/kit`. */
export const parseSettings: typeof kit.parseSettings = kit.parseSettings;
/** @deprecated Import from `@paybridge/core/kit`. */
export const endpointUrlSchema: typeof kit.endpointUrlSchema = kit.endpointUrlSchema;
/** @deprecated Import from `@paybridge/core/kit`. */
export const isHttpUrl: typeof kit.isHttpUrl = kit.isHttpUrl;
/** @deprecated Import from `@paybridge/core/kit`. */
export const bytesForLog: typeof kit.bytesForLog = kit.bytesForLog;
/** @deprecated Import from `@paybridge/core/kit`. */
export const digest: typeof kit.digest = kit.digest;
/** @deprecated Import from `@paybridge/core/kit`. */
export const fromBase64Url: typeof kit.fromBase64Url = kit.fromBase64Url;
/** @deprecated Import from `@paybridge/core/kit`. */
export const fromHex: typeof kit.fromHex = kit.fromHex;
/** @deprecated Import from `@paybridge/core/kit`. */
export const hmac: typeof kit.hmac = kit.hmac;
/** @deprecated Import from `@paybridge/core/kit`. */
export const randomId: typeof kit.randomId = kit.randomId;
/** @deprecated Import from `@paybridge/core/kit`. */
export const sortableId: typeof kit.sortableId = kit.sortableId;
/** @deprecated Import from `@paybridge/core/kit`. */
export const timingSafeEqual: typeof kit.timingSafeEqual = kit.timingSafeEqual;
/** @deprecated Import from `@paybridge/core/kit`. */
export const timingSafeEqualText: typeof kit.timingSafeEqualText = kit.timingSafeEqualText;
/** @deprecated Import from `@paybridge/core/kit`. */
export const toBase64: typeof kit.toBase64 = kit.toBase64;
/** @deprecated Import from `@paybridge/core/kit`. */
export const toBase64Url: typeof kit.toBase64Url = kit.toBase64Url;
/** @deprecated Import from `@paybridge/core/kit`. */
export const toHex: typeof kit.toHex = kit.toHex;
/** @deprecated Import from `@paybridge/core/kit`. */
export const utf8: typeof kit.utf8 = kit.utf8;
/** @deprecated Import from `@paybridge/core/kit`. */
export const autoSubmitForm: typeof kit.autoSubmitForm = kit.autoSubmitForm;
/** @deprecated Import from `@paybridge/core/kit`. */
export const escapeHtml: typeof kit.escapeHtml = kit.escapeHtml;
/** @deprecated Import from `@paybridge/core/kit`. */
export const htmlPage: typeof kit.htmlPage = kit.htmlPage;
/** @deprecated Import from `@paybridge/core/kit`. */
export const standaloneContext: typeof kit.standaloneContext = kit.standaloneContext;
/** @deprecated Import from `@paybridge/core/kit`. */
export const ipInRange: typeof kit.ipInRange = kit.ipInRange;
/** @deprecated Import from `@paybridge/core/kit`. */
export const parseIp: typeof kit.parseIp = kit.parseIp;
/** @deprecated Import from `@paybridge/core/kit`. */
export const applyFacts: typeof kit.applyFacts = kit.applyFacts;
/** @deprecated Import from `@paybridge/core/kit`. */
export const checkInvariants: typeof kit.checkInvariants = kit.checkInvariants;
/** @deprecated Import from `@paybridge/core/kit`. */
export const deriveAmounts: typeof kit.deriveAmounts = kit.deriveAmounts;
/** @deprecated Import from `@paybridge/core/kit`. */
export const deriveStatus: typeof kit.deriveStatus = kit.deriveStatus;
