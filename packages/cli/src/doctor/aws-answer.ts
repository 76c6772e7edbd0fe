// AWS's error code and message from an SDK error, for evidence lines (AWS's messages never hold secrets).
export interface AwsAnswer {
  code: string;
  message: string;
}

export function awsAnswer(error: unknown): AwsAnswer {
  const e = error as { name?: string; code?: string; message?: string };
  const code = e.code && /^E[A-Z]+$/.test(e.code) ? e.code : (e.name ?? e.code ?? "Error");
  return { code, message: e.message ?? String(error) };
}

export function isAccessDenied(error: unknown): boolean {
  return /AccessDenied/.test(awsAnswer(error).code);
}

/** "AccessDenied: User: … is not authorized …" */
export function answerLine(error: unknown): string {
  const { code, message } = awsAnswer(error);
  return `${code}: ${message}`;
}
