/** RFC 9457 problem details, as API.md "Errors" describes them. */
export type FieldError = Readonly<{ field: string; message: string }>;

export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The stable machine-readable code (also the last segment of `type`). */
  code: string;
  errors?: FieldError[];
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_BASE = 'https://volunteer-campaigns.example/problems/';

/**
 * The request target without its query string: what a problem's `instance` and a log line may show.
 * A query can carry a bearer token (`?access_token=`, for EventSource) or personal data, and a problem
 * body or a log line ends up in places no token belongs (browser consoles, proxies, log stores).
 */
export const pathOnly = (url: string): string => url.split('?', 1)[0]!;

export const problemType = (code: string): string => `${PROBLEM_BASE}${code.replace(/_/g, '-')}`;

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const statusTitle = (status: number): string =>
  titles[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');

/**
 * An error that already knows its HTTP answer. Anything in the application may throw it; the global
 * filter renders it as problem+json.
 */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors?: readonly FieldError[],
  ) {
    super(detail);
    this.name = 'ProblemException';
  }

  toProblem(instance?: string): ProblemDetails {
    return {
      type: problemType(this.code),
      title: statusTitle(this.status),
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      code: this.code,
      ...(this.errors ? { errors: [...this.errors] } : {}),
    };
  }
}

export const unauthorized = (detail: string) => new ProblemException(401, 'unauthorized', detail);
export const forbidden = (detail: string, code = 'forbidden') =>
  new ProblemException(403, code, detail);
export const notFound = (detail: string, code = 'not_found') =>
  new ProblemException(404, code, detail);
export const conflict = (detail: string, code = 'conflict') =>
  new ProblemException(409, code, detail);
/**
 * Errors a 400 lists. A body of 6,000 unknown fields (59 KB) was answered with every one of them
 * (410 KB): a refusal names the first ones and how many more, and is never bigger than its request.
 */
const maxListedErrors = 20;

export const validationFailed = (errors: readonly FieldError[], detail?: string) => {
  const fields = [...new Set(errors.map((e) => e.field))];
  const more = fields.length - maxListedErrors;
  const named = fields.slice(0, maxListedErrors).join(', ') + (more > 0 ? ` and ${more} more` : '');
  return new ProblemException(
    400,
    'validation_failed',
    detail ?? `The request is invalid: ${named}.`,
    errors.slice(0, maxListedErrors),
  );
};
