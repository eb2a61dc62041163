import { getSchemaPath, type SchemaObject } from '@nestjs/swagger';
import { REPOSITORY_PATTERN } from '../../github/repository-name';
import { PastedIssueDto } from './start-comment-on-issue.dto';

const REPOSITORY: SchemaObject = {
  type: 'string',
  // JSON Schema patterns take no flags: the `i` of REPOSITORY_PATTERN spelled out.
  pattern: REPOSITORY_PATTERN.source.replaceAll('A-Z', 'A-Za-z'),
  example: 'octo-org/octo-repo',
  description: '`owner/name` of the repository.',
};

/**
 * The start body's either/or, which `StartCommentOnIssueDto` (one class, checked by the service)
 * cannot say: an issue on GitHub, or a pasted one that may name a repository for the model to read.
 */
export const START_COMMENT_ON_ISSUE_SCHEMA: SchemaObject = {
  oneOf: [
    {
      title: 'GitHubIssueStart',
      type: 'object',
      additionalProperties: false,
      required: ['repository', 'issueNumber'],
      properties: {
        repository: REPOSITORY,
        issueNumber: { type: 'integer', minimum: 1, maximum: 2_147_483_647, example: 42 },
        postToGitHub: {
          type: 'boolean',
          default: false,
          description: 'Post the comment on the GitHub issue as soon as it is drafted.',
        },
      },
    },
    {
      title: 'PastedIssueStart',
      type: 'object',
      additionalProperties: false,
      required: ['issue'],
      properties: {
        issue: { $ref: getSchemaPath(PastedIssueDto) },
        repository: { ...REPOSITORY, description: 'A repository whose code the model may read.' },
        postToGitHub: { type: 'boolean', enum: [false], description: 'A pasted issue cannot be posted to.' },
      },
    },
  ],
};
