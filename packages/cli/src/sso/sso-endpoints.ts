// Where tobira calls IAM Identity Center: AWS's regional hosts unless something names another endpoint. As the
// AWS SDKs read them: AWS_ENDPOINT_URL_SSO_OIDC (the OIDC service) or AWS_ENDPOINT_URL_SSO (the portal), then
// AWS_ENDPOINT_URL, then the profile's endpoint_url; and, tobira's own reading, the sso-session's endpoint_url.
export interface SsoEndpoints {
  oidc?: string | undefined;
  portal?: string | undefined;
}

export function ssoEndpoints(env: NodeJS.ProcessEnv, configured: string | undefined): SsoEndpoints {
  const shared = env.AWS_ENDPOINT_URL || configured;
  return { oidc: env.AWS_ENDPOINT_URL_SSO_OIDC || shared, portal: env.AWS_ENDPOINT_URL_SSO || shared };
}

/** The SDK client options for one endpoint (absent: the SDK's own resolution for the region). */
export function clientOptions(region: string, endpoint: string | undefined) {
  return { region, maxAttempts: 2, ...(endpoint === undefined ? {} : { endpoint }) };
}
