// DescribeInstances' request: InstanceId.N and Filter.N.Name / Filter.N.Value.M, and how a filter matches an
// instance (any of its values, `*` and `?` as wildcards, filters ANDed).

import { matchesWildcard } from "../../policy/index.js";
import { AwsServiceError } from "../../protocol/errors.js";
import type { QueryParams } from "../../protocol/query.js";
import type { Instance } from "../../world/model.js";
import { type InstanceRunState, STATE_CODES } from "./instance-state.js";

export interface InstanceFilter {
  name: string;
  values: string[];
}

/** What a filter looks at: the instance and its current state. */
export interface FilterSubject {
  instance: Instance;
  state: InstanceRunState;
}

type FilterField = (subject: FilterSubject) => string[];

const FIELDS: Record<string, FilterField> = {
  "instance-id": ({ instance }) => [instance.id],
  "instance-state-name": ({ state }) => [state],
  "instance-state-code": ({ state }) => [String(STATE_CODES[state])],
  "private-ip-address": ({ instance }) => [instance.privateIp],
  "network-interface.addresses.private-ip-address": ({ instance }) => [instance.privateIp],
  "private-dns-name": ({ instance }) => [instance.privateDnsName],
  "tag-key": ({ instance }) => Object.keys(instance.tags),
  "tag-value": ({ instance }) => Object.values(instance.tags),
  "owner-id": ({ instance }) => [instance.account],
  "platform-details": ({ instance }) => [instance.platform === "Windows" ? "Windows" : "Linux/UNIX"],
};

/** Filter names the sandbox understands, for the InvalidParameterValue message. */
export const FILTER_NAMES = [...Object.keys(FIELDS), "tag:<key>"];

/** `Name.1`, `Name.2`, … until the first gap. */
function numberedList(params: QueryParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const value = params.get(`${name}.${i}`);
    if (value === undefined) return out;
    out.push(value);
  }
}

export function readInstanceIds(params: QueryParams): string[] {
  return numberedList(params, "InstanceId");
}

export function readFilters(params: QueryParams): InstanceFilter[] {
  const filters: InstanceFilter[] = [];
  for (let i = 1; ; i++) {
    const name = params.get(`Filter.${i}.Name`);
    if (name === undefined) return filters;
    if (!(name in FIELDS) && !name.startsWith("tag:")) {
      throw new AwsServiceError("InvalidParameterValue", `The filter '${name}' is invalid`, 400);
    }
    filters.push({ name, values: numberedList(params, `Filter.${i}.Value`) });
  }
}

function fieldValues(filter: InstanceFilter, subject: FilterSubject): string[] {
  if (filter.name.startsWith("tag:")) {
    const value = subject.instance.tags[filter.name.slice(4)];
    return value === undefined ? [] : [value];
  }
  return FIELDS[filter.name]?.(subject) ?? [];
}

export function matchesFilters(filters: readonly InstanceFilter[], subject: FilterSubject): boolean {
  return filters.every((filter) => {
    const values = fieldValues(filter, subject);
    return filter.values.some((pattern) =>
      values.some((value) => matchesWildcard(pattern, value, { ignoreCase: false })),
    );
  });
}
