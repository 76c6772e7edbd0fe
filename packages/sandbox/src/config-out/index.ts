// What the sandbox writes for AWS tools: the config and shared-credentials files.

export {
  type AwsFilePaths,
  profilesOf,
  renderConfigFile,
  renderCredentialsFile,
  writeAwsFiles,
} from "./aws-files.js";
