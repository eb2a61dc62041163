// A service written against the types generated from Issuecast's OpenAPI document, calling every operation.
// `tools/typecheck-openapi-client.mjs` generates `issuecast-openapi` from the served document and type-checks
// this file against it; it is never run. The `@ts-expect-error` lines are requests the server refuses.
import type { components, paths } from 'issuecast-openapi';
import createClient from 'openapi-fetch';

type WorkflowEvent = NonNullable<
  paths['/api/workflows/{workflowId}/events']['get']['responses'][200]['content']['text/event-stream']
>;
type ProblemDetails = components['schemas']['ProblemDetails'];

export async function everyOperation(baseUrl: string): Promise<void> {
  const anonymous = createClient<paths>({ baseUrl });
  const signedIn = await anonymous.POST('/api/auth/login', { body: { username: 'demo', password: 'demo' } });
  if (!signedIn.data) throw new Error(problem(signedIn.error));
  const client = createClient<paths>({
    baseUrl,
    headers: { authorization: `Bearer ${signedIn.data.token}` },
  });

  const me = await client.GET('/api/auth/me');
  const who: string | undefined = me.data?.user.username;

  const fromGitHub = await client.POST('/api/workflows/comment-on-issue', {
    body: { repository: 'octo-org/octo-repo', issueNumber: 42, postToGitHub: false },
  });
  const pasted = await client.POST('/api/workflows/comment-on-issue', {
    body: { issue: { title: 'Crash on save', body: 'Saving a draft crashes the app.' } },
  });
  // @ts-expect-error: a repository without an issue number is neither a GitHub issue nor a pasted one.
  await client.POST('/api/workflows/comment-on-issue', { body: { repository: 'octo-org/octo-repo' } });
  const workflowId = pasted.data?.workflowId ?? fromGitHub.data?.workflowId ?? '';

  const page = await client.GET('/api/workflows', {
    params: {
      query: { page: 1, pageSize: 20, state: 'completed', repository: 'octo-org/octo-repo', q: 'crash' },
    },
  });
  const total: number | undefined = page.data?.total;
  const promptTokens: number | undefined = page.data?.usage.promptTokens;
  const snapshot = await client.GET('/api/workflows/{workflowId}', { params: { path: { workflowId } } });
  const lastEventId: number | undefined = snapshot.data?.lastEventId;
  await client.GET('/api/workflows/{workflowId}/events', {
    params: { path: { workflowId }, query: { lastEventId } },
    parseAs: 'stream',
  });
  const cancelled = await client.POST('/api/workflows/{workflowId}/cancel', {
    params: { path: { workflowId } },
  });
  const edited = await client.PUT('/api/workflows/{workflowId}/draft', {
    params: { path: { workflowId } },
    body: { draft: 'Thanks! Could you share the logs?' },
  });
  const draftEdited: boolean | undefined = edited.data?.draftEdited;
  // @ts-expect-error: an edit needs the draft.
  await client.PUT('/api/workflows/{workflowId}/draft', { params: { path: { workflowId } }, body: {} });
  const take = await client.POST('/api/workflows/{workflowId}/retry', {
    params: { path: { workflowId } },
    body: { instructions: 'Shorter' },
  });
  const takes: string[] | undefined = snapshot.data?.takes;
  const model: string | undefined = snapshot.data?.usage?.model;
  const posted = await client.POST('/api/workflows/{workflowId}/post', { params: { path: { workflowId } } });
  const commentUrl: string | undefined = posted.data?.commentUrl;
  if (posted.response.status === 429)
    console.log(posted.response.headers.get('retry-after'), problem(posted.error));

  await anonymous.GET('/api/health');
  await anonymous.GET('/api/health/ready');
  await client.GET('/api/metrics', { parseAs: 'text' });
  await client.POST('/api/auth/logout');
  console.log(
    who,
    total,
    promptTokens,
    cancelled.data?.status,
    draftEdited,
    take.data?.workflowId,
    takes,
    model,
  );
  console.log(commentUrl, posted.data?.postedText);
}

/** An event narrows on its wire `type`, as the document's discriminator mapping says. */
export function describeEvent(event: WorkflowEvent): string {
  switch (event.type) {
    case 'status':
      return event.data.step;
    case 'llm_response':
      return event.data.content;
    case 'tool_call':
      return `${event.data.tool} ${event.data.callId}`;
    case 'tool_result':
      return `${event.data.callId} ${event.data.ok ? 'ok' : 'failed'}`;
    case 'error':
      return `${event.data.code}${event.data.retryable ? ' (retryable)' : ''}`;
    case 'complete':
      return `${event.data.content} (${event.data.usage?.completionTokens ?? 0} tokens)`;
  }
}

function problem(error: ProblemDetails | undefined): string {
  return error ? `${error.status} ${error.title}: ${error.detail}` : 'no problem details';
}
