// Builds XML text from plain objects the way AWS's XML protocols lay out results: objects nest as elements,
// lists are repeated item elements (<member> in the query protocol, <item> in EC2's).

/** A value the builder can write: scalars become text, arrays become item lists, objects nest. */
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

/** Writes elements for one protocol's list layout, named by the element each list item gets. */
export class XmlWriter {
  constructor(private readonly listItem: "member" | "item") {}

  /** `<name>…</name>`; nothing for an undefined value. */
  element(name: string, value: XmlValue): string {
    if (value === undefined) return "";
    return `<${name}>${this.value(value)}</${name}>`;
  }

  /** Writes each property as an element, in insertion order; undefined properties are left out. */
  object(object: XmlObject): string {
    return Object.entries(object)
      .map(([name, value]) => this.element(name, value))
      .join("");
  }

  private value(value: XmlValue): string {
    if (value === undefined) return "";
    if (Array.isArray(value)) return value.map((item) => this.element(this.listItem, item)).join("");
    if (typeof value === "object") return this.object(value);
    return escapeXml(String(value));
  }
}

const QUERY_XML = new XmlWriter("member");

/** Writes each property as an element in the query protocol's layout (lists as <member> items). */
export function writeObject(object: XmlObject): string {
  return QUERY_XML.object(object);
}

/** One root element with an xmlns attribute around the object's elements. */
export function xmlDocument(root: string, xmlns: string, body: XmlObject): string {
  return `<${root} xmlns="${escapeXml(xmlns)}">${writeObject(body)}</${root}>\n`;
}
