// Reads ~/.aws/config and ~/.aws/credentials (or their env overrides) into ConfigFiles: sections, keys and
// values from ini-layout, sections sorted into profiles as the AWS CLI does.
import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";
import { configFilePaths } from "./file-paths.js";
import { type LaidOutSection, layOutIni, loaderSectionName } from "./ini-layout.js";
import type {
  ConfigFileInfo,
  ConfigFiles,
  Env,
  IgnoredSection,
  IniSection,
  ProfileSections,
  Setting,
} from "./types.js";

export interface LoadConfigFilesOptions {
  /** Environment for AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and HOME; defaults to process.env. */
  env?: Env;
  /** Explicit config file path (wins over AWS_CONFIG_FILE). */
  configFile?: string;
  /** Explicit credentials file path (wins over AWS_SHARED_CREDENTIALS_FILE). */
  credentialsFile?: string;
}

export async function loadConfigFiles(options: LoadConfigFilesOptions = {}): Promise<ConfigFiles> {
  const paths = configFilePaths(options);
  // Layout first: it refuses names the loader would mishandle before the loader ever sees them.
  const [configText, credentialsText] = await Promise.all([
    readTextIfPresent(paths.configFile),
    readTextIfPresent(paths.credentialsFile),
  ]);
  const configLayout = configText === undefined ? [] : layOutIni(configText, paths.configFile);
  const credentialsLayout =
    credentialsText === undefined ? [] : layOutIni(credentialsText, paths.credentialsFile);

  const configFile: ConfigFileInfo = { path: paths.configFile, found: configText !== undefined };
  const credentialsFile: ConfigFileInfo = {
    path: paths.credentialsFile,
    found: credentialsText !== undefined,
  };
  const profiles = new Map<string, ProfileSections>();
  const ssoSessions = new Map<string, IniSection>();
  const ignored: IgnoredSection[] = [];

  for (const laid of configLayout) {
    const place = placeConfigSection(laid);
    if (place.kind === "ignored") {
      ignored.push({ file: paths.configFile, header: laid.header, line: laid.line, ...place.why });
      continue;
    }
    const section = buildSection(laid, paths.configFile);
    if (place.kind === "sso-session") {
      const twin = ssoSessions.get(place.name);
      if (twin) throw duplicateSection(twin, section);
      ssoSessions.set(place.name, section);
      continue;
    }
    const entry = profiles.get(place.name) ?? { name: place.name };
    if (entry.config && !isDefaultPair(entry.config, section)) throw duplicateSection(entry.config, section);
    if (entry.config) ignored.push(replacedDefault(entry.config, section));
    entry.config = section;
    profiles.set(place.name, entry);
  }

  for (const laid of credentialsLayout) {
    const place = placeCredentialsSection(laid);
    if (place.kind === "ignored") {
      ignored.push({ file: paths.credentialsFile, header: laid.header, line: laid.line, ...place.why });
      continue;
    }
    const section = buildSection(laid, paths.credentialsFile);
    const entry = profiles.get(place.name) ?? { name: place.name };
    if (entry.credentials) throw duplicateSection(entry.credentials, section);
    entry.credentials = section;
    profiles.set(place.name, entry);
  }

  return { configFile, credentialsFile, profiles, ssoSessions, ignored };
}

/** The file's text, or undefined when it does not exist (the AWS CLI treats a missing file as empty). */
async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    const reason =
      code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : String(code);
    throw new ConfigError(`cannot read ${path}: ${reason}.`, {
      hint: "Point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at a readable file, or unset them.",
      cause: error,
    });
  }
}

type Placement =
  | { kind: "profile"; name: string }
  | { kind: "sso-session"; name: string }
  | { kind: "ignored"; why: { reason: string; meant?: string } };

/** Config file: `[default]`, `[profile NAME]`, `[sso-session NAME]`; everything else is not a profile. */
function placeConfigSection(laid: LaidOutSection): Placement {
  if (laid.header === "default") return { kind: "profile", name: "default" };
  const named = loaderSectionName(laid.header);
  if (named?.type === "profile") return { kind: "profile", name: named.name };
  if (named?.type === "sso-session") {
    return { kind: "sso-session", name: named.name };
  }
  if (named?.type === "services")
    return { kind: "ignored", why: { reason: "a services section (not a profile)" } };
  const words = laid.header.trim().split(/\s+/);
  if (words[0] === "profile" && words.length > 1) {
    return {
      kind: "ignored",
      why: {
        reason:
          "AWS SDKs cannot read this profile header: write [profile NAME] with one space and a name made of letters, digits and _ - @ + . % : /",
        meant: words
          .slice(1)
          .join(" ")
          .replace(/^["']|["']$/g, ""),
      },
    };
  }
  return {
    kind: "ignored",
    why: {
      reason: `in the config file a profile section is written [profile ${laid.header}]`,
      meant: laid.header,
    },
  };
}

/** Credentials file: `[NAME]`; a `[profile NAME]` header there names no profile the AWS tools look up. */
function placeCredentialsSection(laid: LaidOutSection): Placement {
  const named = loaderSectionName(laid.header);
  if (named && named.type === undefined) return { kind: "profile", name: named.name };
  if (named?.type === "profile") {
    return {
      kind: "ignored",
      why: {
        reason: `in the credentials file a profile section is written [${named.name}]`,
        meant: named.name,
      },
    };
  }
  return {
    kind: "ignored",
    why: {
      reason: "AWS SDKs cannot read this header in a credentials file: write [NAME]",
      meant: laid.header,
    },
  };
}

function buildSection(laid: LaidOutSection, file: string): IniSection {
  const keys = new Map<string, Setting>();
  for (const key of laid.keys) {
    keys.set(key.loaderKey.toLowerCase(), {
      value: key.value,
      origin: { file, section: laid.header, key: key.loaderKey, line: key.line },
    });
  }
  return { file, header: laid.header, line: laid.line, keys };
}

/**
 * `[default]` and `[profile default]` in one config file: the AWS CLI v2 (botocore's profile map) takes the later
 * of the two whole, nothing merged; any other repeated section makes it refuse the file.
 */
function isDefaultPair(first: IniSection, second: IniSection): boolean {
  const headers = new Set([first.header, second.header]);
  return headers.size === 2 && headers.has("default") && headers.has("profile default");
}

function replacedDefault(earlier: IniSection, later: IniSection): IgnoredSection {
  return {
    file: earlier.file,
    header: earlier.header,
    line: earlier.line,
    reason: `[${later.header}] (line ${later.line}) replaces it: the AWS CLI reads the later of [default] and [profile default]`,
  };
}

function duplicateSection(first: IniSection, second: IniSection): ConfigError {
  return new ConfigError(
    `${second.file}: section [${second.header}] (line ${second.line}) repeats [${first.header}] (line ${first.line}).`,
    {
      hint: "The AWS CLI refuses a file with the same section twice; merge them into one.",
    },
  );
}
