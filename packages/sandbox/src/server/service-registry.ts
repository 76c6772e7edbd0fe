// The services the endpoint serves, found by the signing name in the SigV4 credential scope, and the
// websocket upgrade paths. Adding KMS or SSM is one JsonServiceDefinition; EC2 one QueryServiceDefinition;
// the message gateway one UpgradeRoute.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { AwsServiceError } from "../protocol/errors.js";
import type { QueryParams, QueryServiceShape } from "../protocol/query.js";
import type { XmlObject } from "../protocol/xml.js";
import type { HttpAnswer } from "./http-answer.js";
import type { IncomingAwsRequest } from "./incoming-request.js";
import type { SandboxRuntime, ServiceCall } from "./runtime.js";

type MaybePromise<T> = T | Promise<T>;

export type QueryAction = (call: ServiceCall, params: QueryParams) => MaybePromise<XmlObject | undefined>;
export type JsonAction = (call: ServiceCall, input: Record<string, unknown>) => MaybePromise<unknown>;

interface ServiceBase {
  /** The service name in the credential scope: "sts", "iam", "kms", "ssm", "ec2". */
  signingName: string;
  /**
   * Runs after authentication and before the action: refuses credentials the service never takes
   * (IAM and GetSessionToken credentials without MFA, STS and session credentials). Throws AwsServiceError.
   */
  admit?: (call: ServiceCall) => void;
}

/** A query-protocol service (STS, IAM, EC2): `Action=…` in a form body or query string, XML out. */
export interface QueryServiceDefinition extends ServiceBase {
  protocol: "query";
  shape: QueryServiceShape;
  actions: Record<string, QueryAction>;
  /** EC2 lays out its XML its own way (no `…Result` wrapper, `<item>` lists, `<Response><Errors>`). */
  xmlDialect?: QueryXmlDialect;
}

/**
 * A query service in STS/IAM's layout, whose XML namespace follows AWS's convention for them:
 * `https://<signing name>.amazonaws.com/doc/<version>/`.
 */
export function awsQueryService(
  signingName: string,
  version: string,
  parts: Pick<QueryServiceDefinition, "admit" | "actions">,
): QueryServiceDefinition {
  return {
    signingName,
    protocol: "query",
    shape: { xmlns: `https://${signingName}.amazonaws.com/doc/${version}/`, version },
    ...parts,
  };
}

/** Writes a query service's success and error documents when they differ from STS/IAM's layout. */
export interface QueryXmlDialect {
  result(action: string, result: XmlObject | undefined, requestId: string): string;
  error(error: AwsServiceError, requestId: string): string;
}

/** A JSON 1.1 service (KMS, SSM): `X-Amz-Target: <targetPrefix>.<Action>`, JSON in and out. */
export interface JsonServiceDefinition extends ServiceBase {
  protocol: "json";
  targetPrefix: string;
  actions: Record<string, JsonAction>;
}

/** The input a REST-JSON action sees: the path's labels, the query string and the JSON body. */
export interface RestJsonInput {
  labels: Record<string, string>;
  query: Map<string, string[]>;
  body: Record<string, unknown>;
}

/** What a REST-JSON action answers: its HTTP status (200 unless said) and its JSON document. */
export interface RestJsonResult {
  status?: number;
  body: unknown;
}

export type RestJsonAction = (call: ServiceCall, input: RestJsonInput) => MaybePromise<RestJsonResult>;

/** One operation of a REST-JSON service: its method and path template (`/trustanchor/{trustAnchorId}`). */
export interface RestJsonRoute {
  method: string;
  path: string;
  action: string;
  run: RestJsonAction;
}

/** A REST-JSON service (IAM Roles Anywhere's control plane): the method and path name the operation. */
export interface RestJsonServiceDefinition extends ServiceBase {
  protocol: "rest-json";
  routes: RestJsonRoute[];
}

export type ServiceDefinition = QueryServiceDefinition | JsonServiceDefinition | RestJsonServiceDefinition;

/** A websocket endpoint (the message gateway): gets the raw upgrade for paths under its prefix. */
export interface UpgradeRoute {
  pathPrefix: string;
  handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/** A plain HTTP endpoint that is no SigV4 API (the console federation endpoint): gets requests to its exact path. */
export interface HttpRoute {
  path: string;
  handle: (request: IncomingAwsRequest, requestId: string, runtime: SandboxRuntime) => Promise<HttpAnswer>;
}

/**
 * A JSON operation that authenticates itself rather than by SigV4 with an access key (the SSM agent's
 * RegisterManagedInstance, anonymous, and its RSA-signed token calls): gets every request naming its target.
 */
export interface TargetRoute {
  /** The whole X-Amz-Target value, e.g. "AmazonSSM.RegisterManagedInstance". */
  target: string;
  handle: HttpRoute["handle"];
}

export class ServiceRegistry {
  private readonly services = new Map<string, ServiceDefinition>();
  private readonly upgrades: UpgradeRoute[] = [];
  private readonly routes = new Map<string, HttpRoute>();
  private readonly targetRoutes = new Map<string, TargetRoute>();

  register(service: ServiceDefinition): this {
    if (this.services.has(service.signingName)) {
      throw new Error(`A service with signing name '${service.signingName}' is already registered.`);
    }
    this.services.set(service.signingName, service);
    return this;
  }

  registerUpgrade(route: UpgradeRoute): this {
    this.upgrades.push(route);
    return this;
  }

  registerRoute(route: HttpRoute): this {
    this.routes.set(route.path, route);
    return this;
  }

  registerTargetRoute(route: TargetRoute): this {
    this.targetRoutes.set(route.target, route);
    return this;
  }

  findTargetRoute(target: string | undefined): TargetRoute | undefined {
    return target === undefined ? undefined : this.targetRoutes.get(target);
  }

  findRoute(path: string): HttpRoute | undefined {
    return this.routes.get(path);
  }

  find(signingName: string): ServiceDefinition | undefined {
    return this.services.get(signingName);
  }

  signingNames(): string[] {
    return [...this.services.keys()].sort();
  }

  findUpgrade(path: string): UpgradeRoute | undefined {
    return this.upgrades.find((route) => path.startsWith(route.pathPrefix));
  }
}
