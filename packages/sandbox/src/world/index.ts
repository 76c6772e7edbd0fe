// The world a sandbox serves: its model, loading and validation, and the built-in default.

export { MAX_LISTED_ISSUES, WorldError } from "./error.js";
export { accountOfId, privateDnsNameFor, uniqueIdFor } from "./ids.js";
export { formatIssue, formatPath, type PathSegment, type WorldIssue } from "./issues.js";
export { defaultWorld, defaultWorldPath, loadWorldFile, MAX_WORLD_FILE_BYTES, parseWorld } from "./load.js";
export type * from "./model.js";
export { type WorldFile, worldFileSchema } from "./schema.js";
