// The template loader on small hand-written templates: intrinsic functions, physical names, what is skipped
// (a note) or refused (an error) and where, and joining a base world.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is CloudFormation and IAM variable syntax

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  formatFinding,
  loadTemplatesIntoWorld,
  TemplateError,
  type TemplateSource,
  worldFromTemplates,
} from "../../src/world/cloudformation/index.js";
import { defaultWorld } from "../../src/world/index.js";

const ACCOUNT = "111111111111";
const REGION = "ap-northeast-1";
const options = { account: ACCOUNT, region: REGION };

const TRUST_ACCOUNT = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" } },
      Action: "sts:AssumeRole",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    },
  ],
};

function source(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): TemplateSource {
  return { template: { Resources: resources, ...extra }, stackName: "Demo" };
}

function errorsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    assert.ok(error.hint.length > 0);
    return error.errors.map(formatFinding);
  }
  assert.fail("expected the templates to be refused");
}

describe("intrinsic functions", () => {
  it("resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub (both forms), Fn::Select, Fn::Split and pseudo parameters", () => {
    const world = worldFromTemplates(
      source({
        Ops: {
          Type: "AWS::IAM::Role",
          Properties: {
            RoleName: { "Fn::Join": ["-", [{ Ref: "AWS::StackName" }, "ops"]] },
            AssumeRolePolicyDocument: TRUST_ACCOUNT,
            Tags: [
              { Key: "Project", Value: { "Fn::Select": [1, { "Fn::Split": [",", "alpha,beta,gamma"] }] } },
              {
                Key: "Where",
                Value: { "Fn::Sub": ["${R}/${AWS::URLSuffix}", { R: { Ref: "AWS::Region" } }] },
              },
            ],
            Policies: [
              {
                PolicyName: "Self",
                PolicyDocument: {
                  Version: "2012-10-17",
                  Statement: [
                    {
                      Effect: "Allow",
                      Action: "iam:GetRole",
                      Resource: {
                        "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${!aws:username}",
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
        Reader: {
          Type: "AWS::IAM::ManagedPolicy",
          Properties: {
            ManagedPolicyName: "reader",
            PolicyDocument: {
              Statement: [
                {
                  Effect: "Allow",
                  Action: "sts:GetCallerIdentity",
                  Resource: { "Fn::GetAtt": ["Ops", "Arn"] },
                },
              ],
            },
            Roles: [{ Ref: "Ops" }],
          },
        },
        IdHolder: {
          Type: "AWS::IAM::Role",
          Properties: {
            AssumeRolePolicyDocument: TRUST_ACCOUNT,
            Tags: [{ Key: "OpsRoleId", Value: { "Fn::GetAtt": "Ops.RoleId" } }],
          },
        },
      }),
      options,
    );
    const ops = world.roles.find((role) => role.name === "Demo-ops");
    assert.ok(ops);
    assert.deepEqual(ops.tags, { Project: "beta", Where: "ap-northeast-1/amazonaws.com" });
    assert.deepEqual(ops.trust, {
      ...TRUST_ACCOUNT,
      Statement: [{ ...TRUST_ACCOUNT.Statement[0], Principal: { AWS: "arn:aws:iam::111111111111:root" } }],
    });
    const self = ops.inlinePolicies.Self!.Statement as { Resource: string }[];
    assert.equal(self[0]!.Resource, "arn:aws:iam::111111111111:role/${aws:username}");
    assert.deepEqual(ops.managedPolicies, ["arn:aws:iam::111111111111:policy/reader"]);
    const reader = world.managedPolicies.find((policy) => policy.name === "reader")!;
    assert.equal(
      (reader.document.Statement as { Resource: string }[])[0]!.Resource,
      "arn:aws:iam::111111111111:role/Demo-ops",
    );
    // RoleId as GetAtt gives it is the id the world gives the role.
    const holder = world.roles.find((role) => role.tags.OpsRoleId !== undefined)!;
    assert.equal(holder.tags.OpsRoleId, ops.roleId);
    assert.match(ops.roleId, /^AROA[A-Z2-7]{17}$/);
  });

  it("takes Fn::If branches by the Conditions, dropping AWS::NoValue, and leaves out resources whose Condition is false", () => {
    const { world, notes } = loadTemplatesIntoWorld(
      source(
        {
          Ops: {
            Type: "AWS::IAM::Role",
            Properties: {
              RoleName: "ops",
              AssumeRolePolicyDocument: TRUST_ACCOUNT,
              MaxSessionDuration: { "Fn::If": ["IsTokyo", 7200, { Ref: "AWS::NoValue" }] },
              Description: { "Fn::If": ["IsProd", "prod", { Ref: "AWS::NoValue" }] },
            },
          },
          ProdOnly: {
            Type: "AWS::IAM::Group",
            Condition: "IsProd",
            Properties: { GroupName: "prod-admins" },
          },
        },
        {
          Parameters: { Stage: { Type: "String", Default: "dev" } },
          Conditions: {
            IsTokyo: { "Fn::Equals": [{ Ref: "AWS::Region" }, "ap-northeast-1"] },
            IsProd: { "Fn::And": [{ "Fn::Equals": [{ Ref: "Stage" }, "prod"] }, { Condition: "IsTokyo" }] },
          },
        },
      ),
      options,
    );
    const ops = world.roles.find((role) => role.name === "ops")!;
    assert.equal(ops.maxSessionDuration, 7200);
    assert.equal(ops.description, "");
    assert.deepEqual(world.groups, []);
    assert.deepEqual(notes.map(formatFinding), [
      "Demo Resources.ProdOnly: left out: its Condition IsProd is false",
    ]);
  });

  it("resolves Fn::ImportValue from another loaded template's exports", () => {
    const exporter: TemplateSource = {
      stackName: "Shared",
      template: {
        Resources: {
          Ops: {
            Type: "AWS::IAM::Role",
            Properties: { RoleName: "ops", AssumeRolePolicyDocument: TRUST_ACCOUNT },
          },
        },
        Outputs: {
          OpsArn: {
            Value: { "Fn::GetAtt": ["Ops", "Arn"] },
            Export: { Name: { "Fn::Sub": "${AWS::StackName}-OpsArn" } },
          },
        },
      },
    };
    const importer = source({
      Switch: {
        Type: "AWS::IAM::ManagedPolicy",
        Properties: {
          ManagedPolicyName: "switch",
          PolicyDocument: {
            Statement: [
              { Effect: "Allow", Action: "sts:AssumeRole", Resource: { "Fn::ImportValue": "Shared-OpsArn" } },
            ],
          },
        },
      },
    });
    const world = worldFromTemplates([importer, exporter], options);
    const policy = world.managedPolicies.find((p) => p.name === "switch")!;
    assert.equal(
      (policy.document.Statement as { Resource: string }[])[0]!.Resource,
      "arn:aws:iam::111111111111:role/ops",
    );
  });

  it("names an unsupported or unresolvable intrinsic and where it is, as an error when IAM needs the value", () => {
    const errors = errorsOf(() =>
      worldFromTemplates(
        source({
          Reader: {
            Type: "AWS::IAM::ManagedPolicy",
            Properties: {
              PolicyDocument: {
                Statement: [
                  {
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: { "Fn::ImportValue": "Elsewhere-BucketArn" },
                  },
                  {
                    Effect: "Allow",
                    Action: "ec2:DescribeVpcs",
                    Resource: { "Fn::Cidr": ["10.0.0.0/16", 2, 8] },
                  },
                  {
                    Effect: "Allow",
                    Action: "iam:GetUser",
                    Resource: { "Fn::Sub": "arn:aws:iam::${AWS::AccountId}:user/${aws:username}" },
                  },
                ],
              },
            },
          },
        }),
        options,
      ),
    );
    assert.deepEqual(errors, [
      'Demo Resources.Reader.Properties.PolicyDocument.Statement[0].Resource["Fn::ImportValue"]: unsupported intrinsic Fn::ImportValue: no loaded template exports "Elsewhere-BucketArn"',
    ]);
  });

  it("reports each bad intrinsic of a policy: Fn::Cidr, and an IAM variable Fn::Sub would swallow", () => {
    const policy = (resource: unknown) =>
      source({
        Reader: {
          Type: "AWS::IAM::ManagedPolicy",
          Properties: {
            PolicyDocument: { Statement: [{ Effect: "Allow", Action: "iam:GetUser", Resource: resource }] },
          },
        },
      });
    assert.deepEqual(
      errorsOf(() => worldFromTemplates(policy({ "Fn::Cidr": ["10.0.0.0/16", 2, 8] }), options)),
      [
        "Demo Resources.Reader.Properties.PolicyDocument.Statement[0].Resource: unsupported intrinsic Fn::Cidr",
      ],
    );
    assert.deepEqual(
      errorsOf(() =>
        worldFromTemplates(
          policy({ "Fn::Sub": "arn:aws:iam::${AWS::AccountId}:user/${aws:username}" }),
          options,
        ),
      ),
      [
        'Demo Resources.Reader.Properties.PolicyDocument.Statement[0].Resource["Fn::Sub"]: Fn::Sub reads ${aws:username} as a CloudFormation variable; write ${!aws:username} to keep the IAM policy variable',
      ],
    );
  });

  it("asks for the value of a parameter read from SSM Parameter Store only where it matters", () => {
    const template = (imageUsedInTags: boolean) =>
      source(
        {
          Web: {
            Type: "AWS::EC2::Instance",
            Properties: {
              ImageId: { Ref: "Ami" },
              Tags: [{ Key: "Project", Value: imageUsedInTags ? { Ref: "Ami" } : "p1" }],
            },
          },
        },
        {
          Parameters: {
            Ami: { Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: "/aws/service/ami" },
          },
        },
      );
    // ImageId is not read at all; the instance loads.
    assert.equal(worldFromTemplates(template(false), options).instances[0]!.tags.Project, "p1");
    assert.deepEqual(
      errorsOf(() => worldFromTemplates(template(true), options)),
      [
        "Demo Resources.Web.Properties.Tags[0].Value.Ref: parameter Ami is read from SSM Parameter Store (/aws/service/ami) at deploy time; pass its value in the loader's parameters",
      ],
    );
    const given = worldFromTemplates(template(true), { ...options, parameters: { Ami: "ami-0abc" } });
    assert.equal(given.instances[0]!.tags.Project, "ami-0abc");
  });
});

describe("resources", () => {
  it("notes what it skips and refuses what would make the sandbox allow more than AWS", () => {
    const { notes } = loadTemplatesIntoWorld(
      source({
        MyFn: { Type: "AWS::Lambda::Function", Properties: {} },
        Meta: { Type: "AWS::CDK::Metadata", Properties: {} },
        Op: { Type: "AWS::IAM::User", Properties: { UserName: "op", LoginProfile: { Password: "x" } } },
      }),
      options,
    );
    assert.deepEqual(notes.map(formatFinding), [
      "Demo Resources.MyFn: skipped: AWS::Lambda::Function MyFn (not modelled)",
      "Demo Resources.Op.Properties.LoginProfile: console passwords are not modelled; the user signs in with its generated access key",
    ]);
    const errors = errorsOf(() =>
      worldFromTemplates(
        source({
          Ops: {
            Type: "AWS::IAM::Role",
            Properties: {
              AssumeRolePolicyDocument: TRUST_ACCOUNT,
              PermissionsBoundary: "arn:aws:iam::111111111111:policy/b",
            },
          },
          Scp: { Type: "AWS::Organizations::Policy", Properties: {} },
        }),
        options,
      ),
    );
    assert.deepEqual(errors, [
      "Demo Resources.Ops.Properties.PermissionsBoundary: permissions boundaries are not modelled; the sandbox would allow more than AWS does",
      "Demo Resources.Scp: AWS::Organizations::Policy is not modelled; the sandbox would allow more than AWS does",
    ]);
  });

  it("gives unnamed resources CloudFormation-like names that stay the same from load to load", () => {
    const template = source({
      ThisIsAVeryLongLogicalIdForARoleThatCloudFormationMustShorten1234: {
        Type: "AWS::IAM::Role",
        Properties: { AssumeRolePolicyDocument: TRUST_ACCOUNT },
      },
      Operator: { Type: "AWS::IAM::User" },
      Web: { Type: "AWS::EC2::Instance", Properties: { Tags: [{ Key: "Name", Value: "web" }] } },
      Key: { Type: "AWS::KMS::Key", Properties: {} },
    });
    const first = worldFromTemplates(template, options);
    const second = worldFromTemplates(template, options);
    const role = first.roles[0]!.name;
    assert.match(role, /^Demo-ThisIsAVeryLongLogicalIdForARoleThatCloudForma-[A-Za-z0-9]{12}$/);
    assert.equal(role.length, 64);
    assert.match(first.users[0]!.name, /^Demo-Operator-[A-Za-z0-9]{12}$/);
    assert.match(first.instances[0]!.id, /^i-[0-9a-f]{17}$/);
    assert.equal(first.instances[0]!.name, "web");
    assert.match(first.kmsKeys[0]!.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(second, first);
  });

  it("gives every user an access key, a virtual MFA device and a profile, and each trusted user a role profile", () => {
    const world = worldFromTemplates(
      source({
        Alice: { Type: "AWS::IAM::User", Properties: { UserName: "alice" } },
        Ops: {
          Type: "AWS::IAM::Role",
          Properties: {
            RoleName: "ops",
            AssumeRolePolicyDocument: {
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { AWS: { "Fn::GetAtt": ["Alice", "Arn"] } },
                  Action: "sts:AssumeRole",
                },
              ],
            },
          },
        },
      }),
      options,
    );
    const alice = world.users[0]!;
    assert.match(alice.accessKeys[0]!.id, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(alice.mfaDevices[0]!.serial, "arn:aws:iam::111111111111:mfa/alice");
    assert.match(alice.mfaDevices[0]!.secret, /^[A-Z2-7]{32}$/);
    assert.deepEqual(world.profiles, [
      {
        kind: "role",
        name: "ops",
        region: REGION,
        roleArn: "arn:aws:iam::111111111111:role/ops",
        sourceProfile: "alice",
        mfaSerial: "arn:aws:iam::111111111111:mfa/alice",
      },
      { kind: "user", name: "alice", region: REGION, userArn: "arn:aws:iam::111111111111:user/alice" },
    ]);
  });

  it("reads preferences from an AwsCustomResource and from an AWS::SSM::Document, refusing numbers for minutes", () => {
    const content = (idle: unknown) => ({
      schemaVersion: "1.0",
      sessionType: "Standard_Stream",
      inputs: {
        runAsEnabled: true,
        runAsDefaultUser: "ops",
        idleSessionTimeout: idle,
        maxSessionDuration: "60",
      },
    });
    const viaSdkCall = worldFromTemplates(
      source({
        Prefs: {
          Type: "Custom::AWS",
          Properties: {
            Update: JSON.stringify({
              service: "SSM",
              action: "updateDocument",
              parameters: {
                Name: "SSM-SessionManagerRunShell",
                Content: JSON.stringify(content("15")),
                DocumentVersion: "$LATEST",
              },
            }),
          },
        },
      }),
      options,
    ).sessionPreferences[0]!;
    assert.equal(viaSdkCall.idleSessionTimeout, "15");
    assert.equal(viaSdkCall.runAsDefaultUser, "ops");
    const { world, notes } = loadTemplatesIntoWorld(
      source({
        Doc: {
          Type: "AWS::SSM::Document",
          Properties: { Name: "SSM-SessionManagerRunShell", DocumentType: "Session", Content: content("20") },
        },
      }),
      options,
    );
    assert.equal(world.sessionPreferences[0]!.maxSessionDuration, "60");
    assert.match(formatFinding(notes[0]!), /fails \("already exists"\)/);
    assert.deepEqual(
      errorsOf(() =>
        worldFromTemplates(
          source({
            Doc: {
              Type: "AWS::SSM::Document",
              Properties: { Name: "SSM-SessionManagerRunShell", Content: content(20) },
            },
          }),
          options,
        ),
      ),
      [
        'Demo Resources.Doc.Properties.Content.inputs.idleSessionTimeout: idleSessionTimeout must be a string (write "20": the schema wants minutes as a string)',
      ],
    );
  });
});

describe("joining a base world", () => {
  it("attaches template policies and members to base entities and replaces the base preferences", () => {
    const base = defaultWorld();
    const central: TemplateSource = {
      stackName: "Central",
      template: {
        Resources: {
          Dave: { Type: "AWS::IAM::User", Properties: { UserName: "dave", Groups: ["operators"] } },
        },
      },
    };
    const workload: TemplateSource = {
      stackName: "Workload",
      account: "222222222222",
      template: {
        Resources: {
          Extra: {
            Type: "AWS::IAM::Policy",
            Properties: {
              PolicyName: "extra",
              Roles: ["Role-for-switch"],
              PolicyDocument: {
                Statement: [{ Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" }],
              },
            },
          },
          Prefs: {
            Type: "Custom::SessionManagerPreferences",
            Properties: {
              DocumentName: "SSM-SessionManagerRunShell",
              Content: JSON.stringify({
                schemaVersion: "1.0",
                sessionType: "Standard_Stream",
                inputs: { runAsEnabled: false },
              }),
            },
          },
        },
      },
    };
    const { world, notes } = loadTemplatesIntoWorld([central, workload], { ...options, base });
    assert.equal(world.users.length, base.users.length + 1);
    assert.deepEqual(world.users.at(-1)!.groups, ["operators"]);
    const switchRole = world.roles.find((role) => role.name === "Role-for-switch")!;
    assert.ok(switchRole.inlinePolicies.extra);
    const scoped = world.sessionPreferences.filter(
      (p) => p.account === "222222222222" && p.region === REGION,
    );
    assert.equal(scoped.length, 1);
    assert.equal(scoped[0]!.runAsEnabled, false);
    assert.ok(
      notes
        .map(formatFinding)
        .includes(
          "Workload Resources.Prefs: replaces the base world's preferences for 222222222222/ap-northeast-1",
        ),
    );
    // The base entities keep everything else they had.
    assert.deepEqual(world.users[0], base.users[0]);
  });

  it("reports a clash with the base world at the template resource", () => {
    const errors = errorsOf(() =>
      worldFromTemplates(
        source({
          Group: { Type: "AWS::IAM::Group", Properties: { GroupName: "operators" } },
          Bad: { Type: "AWS::IAM::User", Properties: { UserName: "dave", Groups: ["nobody"] } },
        }),
        { ...options, base: defaultWorld() },
      ),
    );
    assert.deepEqual(errors, [
      'Demo Resources.Group: name: duplicate group "operators" in account 111111111111 (also groups[0])',
      'Demo Resources.Bad: groups[0]: unknown group "nobody" in account 111111111111 (known: "operators", "operators")',
    ]);
  });

  it("refuses a file that is not a template, naming it", () => {
    assert.deepEqual(
      errorsOf(() => worldFromTemplates("/nonexistent/App.template.json", options)),
      ["/nonexistent/App.template.json: the file does not exist"],
    );
    assert.deepEqual(
      errorsOf(() => worldFromTemplates({ template: { AWSTemplateFormatVersion: "2010-09-09" } }, options)),
      ['Stack: has no "Resources" mapping; is it a CloudFormation template?'],
    );
    assert.deepEqual(
      errorsOf(() => worldFromTemplates(source({}), { account: "1111", region: REGION })),
      ['Demo: account "1111" is not a 12-digit account id'],
    );
  });
});
