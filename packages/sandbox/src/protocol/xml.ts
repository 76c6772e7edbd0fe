// Builds XML text from plain objects the way the query protocol lays out results (lists as <member> items).

/** A value the builder can write: scalars become text, arrays become <member> lists, objects nest. */
export type XmlValue = string | number | boolean | undefined | XmlValue[] | XmlObject;
export interface XmlObject {
  [element: string]: XmlValue;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function writeValue(value: XmlValue): string {
  if (value === undefined) return "";
  if (Array.isArray(value)) return value.map((item) => element("member", item)).join("");
  if (typeof value === "object") return writeObject(value);
  return escapeXml(String(value));
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) return "";
  return `<${name}>${writeValue(value)}</${name}>`;
}

/** Writes each property as an element, in insertion order; undefined properties are left out. */
export function writeObject(object: XmlObject): string {
  return Object.entries(object)
    .map(([name, value]) => element(name, value))
    .join("");
}

/** One root element with an xmlns attribute around the object's elements. */
export function xmlDocument(root: string, xmlns: string, body: XmlObject): string {
  return `<${root} xmlns="${escapeXml(xmlns)}">${writeObject(body)}</${root}>\n`;
}
