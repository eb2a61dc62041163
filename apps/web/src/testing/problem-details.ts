/** An error answer as the API sends it: problem details, `errors` naming the invalid fields of a 400. */
export function problemDetails(
  status: number,
  detail: string,
  errors?: { field: string; message: string }[],
): Record<string, unknown> {
  return {
    type: 'about:blank',
    status,
    detail,
    instance: '/api/workflows',
    ...(errors ? { errors } : {}),
    statusCode: status,
    message: detail,
  };
}
