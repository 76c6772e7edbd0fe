// The small HTML pages the sandbox's federation endpoint shows in place of the AWS console: who signed in,
// or why the sign-in was refused. Every value is escaped: the destination and issuer come from the URL.

import type { ConsoleSession } from "./federation-signin-tokens.js";
import { escapeHtml, htmlPage } from "./html-page.js";

export interface SignedInFacts {
  session: ConsoleSession;
  destination: string;
  issuer?: string;
}

/** The page a successful login shows: the principal, its account, MFA, the destination, and until when. */
export function signedInPage(facts: SignedInFacts): string {
  const { session, destination, issuer } = facts;
  const rows: [string, string][] = [
    ["Signed in as", session.principalArn],
    ["Account", session.account],
    ["MFA", session.mfa ? "present" : "not present"],
    ["Destination", destination],
    ["Console session ends", new Date(session.consoleSessionEnds).toISOString()],
  ];
  if (issuer !== undefined) rows.push(["Issuer", issuer]);
  const table = rows
    .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join("\n");
  return htmlPage(
    "tobira sandbox console",
    `<p>This stands in for the AWS Management Console.</p>\n<table>\n${table}\n</table>`,
  );
}

/** The page a refused login shows, with what to do. */
export function refusedPage(reason: string): string {
  return htmlPage(
    "Sign-in refused",
    `<p>${escapeHtml(reason)}</p>\n<p>Get a new sign-in URL (for example with <code>tobira login PROFILE --print</code>).</p>`,
  );
}
