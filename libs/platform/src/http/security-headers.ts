/**
 * Headers every answer carries (OWASP's HTTP headers cheat sheet): a browser takes each body for the
 * type it is sent as and sniffs no other (a JSON body quoting a name someone typed stays JSON), and
 * shows none of them inside another site's frame, where the dashboard or /docs' "Try it out" could be
 * clicked blind. One list for both writers of answers: the API's middleware, and the raw answers to
 * what Node's HTTP parser refuses before any middleware runs (`answerClientError`).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
});
