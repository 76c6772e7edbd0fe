// Reads an AWS INI file into sections, keys and values, each with its line, and rejects what the AWS CLI
// refuses to parse.
//
// The walk follows @smithy/shared-ini-file-loader's header grammar and sub-section rule, so that tobira files
// sections under the names AWS SDKs use. Values are read here rather than by that loader because the two
// readers differ, and tobira follows the AWS CLI where they do (comments in values: see COMMENT_START).
//
// Where the loader silently drops a line that the AWS CLI (Python's configparser, strict mode) rejects —
// a key before any section, a line that is not `key = value`, an unclosed header, a key written twice — we
// stop with a ConfigError instead, so the user learns why a setting "does nothing". Error texts name keys
// and line numbers but never quote a line: a credentials file line may hold a secret.
import { ConfigError } from "../errors.js";

export interface LaidOutKey {
  /** As the loader stores it: `name`, or `parent.name` inside an indented sub-section. Case preserved. */
  loaderKey: string;
  line: number;
  /** The text after `=`, trimmed. */
  value: string;
}

export interface LaidOutSection {
  /** Text between the brackets, as written. */
  header: string;
  line: number;
  /** The name the loader files this section under, or undefined when the loader drops it. */
  loaderName: string | undefined;
  keys: LaidOutKey[];
}

/** Section types the loader knows in `[type name]` headers (IniSectionType of @smithy/types). */
const KNOWN_SECTION_TYPES = new Set(["profile", "sso-session", "services"]);

/**
 * The loader's header grammar: `type name` with one blank, the name optionally in matching quotes and made of
 * letters, digits and `_ - @ + . % : /`. Any other header is used whole as the section name.
 */
const TYPED_HEADER = /^([A-Za-z0-9_-]+)\s(["']?)([A-Za-z0-9_\-@+.%:/]+)\2$/;

/**
 * Where a comment starts on a section header line: a `#` or `;` after a blank (`[profile a] ; note`), which both
 * the AWS CLI and the JavaScript SDKs' loader accept. On a `key = value` line the two differ: the loader cuts the
 * value there too, while the AWS CLI (botocore's RawConfigParser, no inline comment prefixes) keeps the whole
 * text, so `mfa_process = a ; b` runs `a ; b`. tobira follows the AWS CLI for every key, its own included:
 * only a line that starts with `#` or `;` is a comment.
 */
const COMMENT_START = /(^|\s)[;#]/;

/** Splits a header into what the loader makes of it. */
export function loaderSectionName(header: string): { type?: string; name: string } | undefined {
  const typed = TYPED_HEADER.exec(header);
  if (!typed) return { name: header };
  const [, type = "", , name = ""] = typed;
  return KNOWN_SECTION_TYPES.has(type) ? { type, name } : undefined;
}

export function layOutIni(text: string, file: string): LaidOutSection[] {
  const layout = new IniLayout(file);
  text.split(/\r?\n/).forEach((raw, index) => {
    layout.line(raw, index + 1);
  });
  return layout.sections;
}

/** Reads a file line by line as the loader would, refusing what it would silently drop or misread. */
class IniLayout {
  readonly sections: LaidOutSection[] = [];
  private current: LaidOutSection | undefined;
  private subSection: string | undefined;
  /** Indentation of the last top-level `key = value` line, to catch lines configparser would glue onto it. */
  private lastKeyIndent: number | undefined;
  private seenKeys = new Map<string, number>();

  constructor(private readonly file: string) {}

  line(raw: string, lineNumber: number): void {
    const content = raw.trim();
    if (content === "" || content.startsWith("#") || content.startsWith(";")) return;
    if (content.startsWith("[")) this.header((raw.split(COMMENT_START)[0] ?? "").trim(), lineNumber);
    else this.setting(raw, content, lineNumber);
  }

  private header(content: string, lineNumber: number): void {
    const { file } = this;
    if (!content.endsWith("]")) {
      throw new ConfigError(`${file}, line ${lineNumber}: the section header has no closing "]".`, {
        hint: "Write section headers as [profile NAME] (config file) or [NAME] (credentials file).",
      });
    }
    const header = content.slice(1, -1);
    guardAgainstPrototypeNames(header, file, lineNumber);
    const named = loaderSectionName(header);
    this.current = {
      header,
      line: lineNumber,
      loaderName: named && (named.type ? `${named.type}.${named.name}` : named.name),
      keys: [],
    };
    this.sections.push(this.current);
    this.subSection = undefined;
    this.lastKeyIndent = undefined;
    this.seenKeys = new Map();
  }

  private setting(raw: string, content: string, lineNumber: number): void {
    const { file, current } = this;
    const equals = content.indexOf("=");
    const keyText = equals > 0 ? content.slice(0, equals).trim() : undefined;
    if (!current) {
      throw new ConfigError(
        `${file}, line ${lineNumber}: ${keyText ? `key ${keyText}` : "a line"} comes before any [section] header.`,
        {
          hint: "Move it under a [profile NAME] (config file) or [NAME] (credentials file) section, or delete it.",
        },
      );
    }
    const where = `${file}, section [${current.header}], line ${lineNumber}`;
    if (equals < 0) {
      const colon = content.indexOf(":") > 0;
      throw new ConfigError(`${where}: this line is not "key = value".`, {
        hint: colon
          ? 'Use "=" between key and value: AWS SDKs ignore "key: value" lines.'
          : "Write one setting per line as key = value, or start the line with # to make it a comment.",
      });
    }
    if (!keyText) {
      throw new ConfigError(`${where}: the line has a value but no key before "=".`, {
        hint: "Write one setting per line as key = value.",
      });
    }
    guardAgainstPrototypeNames(keyText, file, lineNumber);
    const indent = raw.length - raw.trimStart().length;
    const value = content.slice(equals + 1).trim();
    if (value === "") {
      // The loader reads `key =` as the start of an indented sub-section (`s3 =` then `  max_… = 10`).
      this.subSection = keyText;
      this.lastKeyIndent = undefined;
      return;
    }
    this.checkIndent(indent, keyText, where);
    this.addKey(current, { loaderKey: keyText, line: lineNumber, value }, where);
  }

  private checkIndent(indent: number, keyText: string, where: string): void {
    if (this.subSection !== undefined && indent === 0) this.subSection = undefined;
    if (this.subSection === undefined && this.lastKeyIndent !== undefined && indent > this.lastKeyIndent) {
      throw new ConfigError(`${where}: key ${keyText} is indented under the line before it.`, {
        hint: "The AWS CLI reads an indented line as more of the previous value, AWS SDKs as a key of its own; remove the indentation.",
      });
    }
    if (this.subSection === undefined) this.lastKeyIndent = indent;
  }

  private addKey(current: LaidOutSection, key: LaidOutKey, where: string): void {
    const { loaderKey: keyText, line: lineNumber } = key;
    const loaderKey = this.subSection === undefined ? keyText : `${this.subSection}.${keyText}`;
    const folded = loaderKey.toLowerCase();
    const earlier = this.seenKeys.get(folded);
    if (earlier !== undefined) {
      throw new ConfigError(
        `${where}: key ${keyText} is set twice in section [${current.header}] (lines ${earlier} and ${lineNumber}).`,
        { hint: "Keys are case-insensitive; keep one of the two lines." },
      );
    }
    this.seenKeys.set(folded, lineNumber);
    current.keys.push({ ...key, loaderKey });
  }
}

/**
 * The loader stores sections and keys as properties of plain objects, so a name such as `__proto__` or
 * `constructor` is either refused by it or silently lost (and may touch Object.prototype). Refuse them here.
 */
function guardAgainstPrototypeNames(text: string, file: string, line: number): void {
  const words = text.split(/[\s"'.]+/);
  for (const word of words) {
    if (word !== "" && word in Object.prototype) {
      throw new ConfigError(`${file}, line ${line}: the name "${word}" cannot be used in AWS config files.`, {
        hint: "AWS SDKs for JavaScript cannot read a section or key with this name; rename it.",
      });
    }
  }
}
