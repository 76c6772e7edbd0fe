// One loaded stack as intrinsics see it: pseudo parameters, parameters, conditions, mappings, and each
// resource's Ref value and attributes (physical names given in the template or generated as CloudFormation
// would), plus the exports the loaded stacks share through Fn::ImportValue.

import { createHash } from "node:crypto";
import { uniqueIdFor } from "../ids.js";
import type { PathSegment } from "../issues.js";
import {
  evaluateCondition,
  type IntrinsicScope,
  NO_VALUE,
  resolveString,
  resolveValue,
  UnresolvedValue,
} from "./intrinsics.js";
import { generatedInstanceId, generatedKmsKeyId, generatedName, type ResourceScope } from "./physical-ids.js";
import type { LoadedTemplate, TemplateResource } from "./template-source.js";

/** Name lengths IAM and friends allow, which bound generated names. */
const NAME_LIMITS: Record<string, number> = {
  "AWS::IAM::User": 64,
  "AWS::IAM::Role": 64,
  "AWS::IAM::Group": 128,
  "AWS::IAM::ManagedPolicy": 128,
  "AWS::IAM::InstanceProfile": 128,
  "AWS::Lambda::Function": 64,
};

/** The property that names a resource of each type, when the template names it. */
const NAME_PROPERTY: Record<string, string> = {
  "AWS::IAM::User": "UserName",
  "AWS::IAM::Role": "RoleName",
  "AWS::IAM::Group": "GroupName",
  "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
  "AWS::IAM::InstanceProfile": "InstanceProfileName",
  "AWS::SSM::Document": "Name",
  "AWS::Lambda::Function": "FunctionName",
  "AWS::KMS::Alias": "AliasName",
};

const IAM_KIND: Record<string, string> = {
  "AWS::IAM::User": "user",
  "AWS::IAM::Role": "role",
  "AWS::IAM::Group": "group",
  "AWS::IAM::ManagedPolicy": "policy",
  "AWS::IAM::InstanceProfile": "instance-profile",
};

export interface ExportDirectory {
  /** The value a loaded stack exports under this name. */
  importValue(exportName: string, path: PathSegment[]): unknown;
}

export class StackModel implements IntrinsicScope {
  readonly label: string;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  private readonly conditions = new Map<string, boolean>();
  private readonly inProgress = new Set<string>();

  constructor(
    readonly template: LoadedTemplate,
    private readonly exports: ExportDirectory,
    private readonly parameterValues: Readonly<Record<string, string>> = {},
  ) {
    this.label = template.label;
    this.stackName = template.stackName;
    this.account = template.account;
    this.region = template.region;
  }

  get resources(): [string, TemplateResource][] {
    return Object.entries(this.template.body.Resources);
  }

  resolve(value: unknown, path: PathSegment[]): unknown {
    return resolveValue(value, path, this);
  }

  resolveString(value: unknown, path: PathSegment[]): string {
    return resolveString(value, path, this);
  }

  /** False when the resource's Condition is false (CloudFormation does not create it). */
  isCreated(logicalId: string): boolean {
    const condition = this.template.body.Resources[logicalId]?.Condition;
    return condition === undefined || this.condition(condition, ["Resources", logicalId, "Condition"]);
  }

  scopeOf(logicalId: string): ResourceScope {
    return { account: this.account, region: this.region, stackName: this.stackName, logicalId };
  }

  pseudoParameter(name: string): unknown {
    switch (name) {
      case "AWS::AccountId":
        return this.account;
      case "AWS::Region":
        return this.region;
      // The sandbox models the commercial partition only: every world ARN starts with arn:aws:.
      case "AWS::Partition":
        return "aws";
      case "AWS::URLSuffix":
        return "amazonaws.com";
      case "AWS::StackName":
        return this.stackName;
      case "AWS::StackId": {
        const hex = createHash("sha256")
          .update(`${this.account}/${this.region}/${this.stackName}`)
          .digest("hex");
        const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
        return `arn:aws:cloudformation:${this.region}:${this.account}:stack/${this.stackName}/${uuid}`;
      }
      case "AWS::NoValue":
        return NO_VALUE;
      case "AWS::NotificationARNs":
        return [];
      default:
        return undefined;
    }
  }

  parameter(name: string, path: PathSegment[]): unknown {
    const declared = this.template.body.Parameters?.[name];
    if (declared === undefined) return undefined;
    const type = declared.Type ?? "String";
    const given = this.parameterValues[name];
    let value: unknown = given ?? declared.Default;
    if (given === undefined && type.startsWith("AWS::SSM::Parameter::Value<")) {
      throw new UnresolvedValue(
        path,
        `parameter ${name} is read from SSM Parameter Store (${String(declared.Default)}) at deploy time; pass its value in the loader's parameters`,
      );
    }
    if (value === undefined) {
      throw new UnresolvedValue(
        path,
        `parameter ${name} has no default; pass its value in the loader's parameters`,
      );
    }
    if (typeof value === "number") value = String(value);
    if (typeof value === "string" && (type.startsWith("List<") || type === "CommaDelimitedList")) {
      return value.split(",").map((item) => item.trim());
    }
    return value;
  }

  condition(name: string, path: PathSegment[]): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const body = this.template.body.Conditions?.[name];
    if (body === undefined)
      throw new UnresolvedValue(path, `no condition "${name}" in the template's Conditions`);
    const value = this.guarded(`condition:${name}`, path, () =>
      evaluateCondition(body, ["Conditions", name], this),
    );
    this.conditions.set(name, value);
    return value;
  }

  mapping(map: string, topKey: string, secondKey: string, path: PathSegment[]): unknown {
    const value = this.template.body.Mappings?.[map]?.[topKey]?.[secondKey];
    if (value === undefined)
      throw new UnresolvedValue(path, `Mappings.${map}.${topKey}.${secondKey} does not exist`);
    return value;
  }

  importValue(exportName: string, path: PathSegment[]): unknown {
    return this.exports.importValue(exportName, path);
  }

  /** The values this stack exports: export name → a thunk resolving the output's value. */
  exportedValues(): Map<string, () => unknown> {
    const exported = new Map<string, () => unknown>();
    for (const [name, output] of Object.entries(this.template.body.Outputs ?? {})) {
      if (output.Export?.Name === undefined) continue;
      let exportName: string;
      try {
        exportName = this.resolveString(output.Export.Name, ["Outputs", name, "Export", "Name"]);
      } catch {
        continue;
      }
      exported.set(exportName, () => this.resolve(output.Value, ["Outputs", name, "Value"]));
    }
    return exported;
  }

  /** The resource's name: its name property when the template gives one, else stack-LogicalId-SUFFIX. */
  physicalName(logicalId: string): string {
    const resource = this.requireResource(logicalId, ["Resources", logicalId]);
    const property = NAME_PROPERTY[resource.Type];
    const given = property === undefined ? undefined : resource.Properties?.[property];
    if (given !== undefined) {
      return this.guarded(`name:${logicalId}`, ["Resources", logicalId], () =>
        this.resolveString(given, ["Resources", logicalId, "Properties", property!]),
      );
    }
    return generatedName(this.scopeOf(logicalId), NAME_LIMITS[resource.Type] ?? 128);
  }

  /** An IAM path property ("/" when absent). */
  iamPath(logicalId: string): string {
    const given = this.template.body.Resources[logicalId]?.Properties?.Path;
    return given === undefined
      ? "/"
      : this.resolveString(given, ["Resources", logicalId, "Properties", "Path"]);
  }

  /** arn:aws:iam::A:KIND/PATH/NAME of an IAM resource of this stack. */
  iamArn(logicalId: string): string {
    const resource = this.requireResource(logicalId, ["Resources", logicalId]);
    const kind = IAM_KIND[resource.Type];
    if (kind === undefined)
      throw new UnresolvedValue(["Resources", logicalId], `${resource.Type} has no IAM ARN`);
    return `arn:aws:iam::${this.account}:${kind}${this.iamPath(logicalId)}${this.physicalName(logicalId)}`;
  }

  kmsKeyId(logicalId: string): string {
    return generatedKmsKeyId(this.scopeOf(logicalId));
  }

  instanceId(logicalId: string): string {
    return generatedInstanceId(this.scopeOf(logicalId));
  }

  resourceRef(logicalId: string, path: PathSegment[]): string | undefined {
    const resource = this.template.body.Resources[logicalId];
    if (resource === undefined) return undefined;
    if (!this.isCreated(logicalId)) {
      throw new UnresolvedValue(path, `Ref to ${logicalId}, which its Condition leaves out`);
    }
    switch (resource.Type) {
      case "AWS::IAM::ManagedPolicy":
        return this.iamArn(logicalId);
      case "AWS::KMS::Key":
        return this.kmsKeyId(logicalId);
      case "AWS::EC2::Instance":
        return this.instanceId(logicalId);
      default:
        return this.physicalName(logicalId);
    }
  }

  attribute(logicalId: string, attribute: string, path: PathSegment[]): unknown {
    const resource = this.requireResource(logicalId, path);
    const unknown = () =>
      new UnresolvedValue(path, `attribute ${attribute} of ${resource.Type} ${logicalId} is not modelled`);
    switch (resource.Type) {
      case "AWS::IAM::User":
      case "AWS::IAM::Group":
      case "AWS::IAM::InstanceProfile":
        if (attribute === "Arn") return this.iamArn(logicalId);
        if (attribute === "GroupId" && resource.Type === "AWS::IAM::Group") {
          return uniqueIdFor("AGPA", this.account, this.physicalName(logicalId));
        }
        throw unknown();
      case "AWS::IAM::Role":
        if (attribute === "Arn") return this.iamArn(logicalId);
        if (attribute === "RoleId") return uniqueIdFor("AROA", this.account, this.physicalName(logicalId));
        throw unknown();
      case "AWS::IAM::ManagedPolicy":
        if (attribute === "PolicyArn") return this.iamArn(logicalId);
        if (attribute === "PolicyId") return uniqueIdFor("ANPA", this.account, this.physicalName(logicalId));
        throw unknown();
      case "AWS::KMS::Key":
        if (attribute === "Arn")
          return `arn:aws:kms:${this.region}:${this.account}:key/${this.kmsKeyId(logicalId)}`;
        if (attribute === "KeyId") return this.kmsKeyId(logicalId);
        throw unknown();
      case "AWS::EC2::Instance": {
        if (attribute === "InstanceId") return this.instanceId(logicalId);
        if (attribute === "AvailabilityZone") return `${this.region}a`;
        const ip = resource.Properties?.PrivateIpAddress;
        if (attribute === "PrivateIp" && ip !== undefined) {
          return this.resolve(ip, ["Resources", logicalId, "Properties", "PrivateIpAddress"]);
        }
        throw unknown();
      }
      case "AWS::Lambda::Function":
        if (attribute === "Arn") {
          return `arn:aws:lambda:${this.region}:${this.account}:function:${this.physicalName(logicalId)}`;
        }
        throw unknown();
      default:
        throw unknown();
    }
  }

  private requireResource(logicalId: string, path: PathSegment[]): TemplateResource {
    const resource = this.template.body.Resources[logicalId];
    if (resource === undefined)
      throw new UnresolvedValue(path, `no resource "${logicalId}" in this template`);
    return resource;
  }

  /** Runs `compute`, turning a cycle (a name that needs itself) into an UnresolvedValue. */
  private guarded<T>(key: string, path: PathSegment[], compute: () => T): T {
    if (this.inProgress.has(key)) throw new UnresolvedValue(path, `circular reference through ${key}`);
    this.inProgress.add(key);
    try {
      return compute();
    } finally {
      this.inProgress.delete(key);
    }
  }
}
