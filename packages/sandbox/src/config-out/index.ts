// What the sandbox writes for AWS tools: the config and shared-credentials files.

export { writeFileAtomic } from "./atomic-write.js";
export {
  type AwsFilePaths,
  profilesOf,
  renderConfigFile,
  renderCredentialsFile,
  writeAwsFiles,
} from "./aws-files.js";
