// Loading synthesized CloudFormation templates into a sandbox world.

export { formatFinding, TemplateError, type TemplateFinding } from "./findings.js";
export { MAX_TEMPLATE_BYTES, type TemplateSource } from "./template-source.js";
export {
  loadTemplatesIntoWorld,
  type TemplateWorld,
  type WorldFromTemplatesOptions,
  worldFromTemplates,
} from "./world-from-templates.js";
