import { z } from 'zod';

/** The arguments of each repository tool, as the model must send them (JSON). */
export const REPOSITORY_TOOL_ARGUMENTS = {
  list_files: z.object({
    path: z
      .string()
      .max(1_024)
      .optional()
      .describe(
        'A directory to list, relative to the repository root (e.g. "src/app"); omit it for the whole repository.',
      ),
  }),
  read_file: z.object({
    path: z
      .string()
      .min(1)
      .max(1_024)
      .describe('The file to read, relative to the repository root (e.g. "src/app/main.ts").'),
  }),
  search_code: z.object({
    query: z
      .string()
      .min(1)
      .max(256)
      .describe(
        'Words or an identifier to look for, as in GitHub code search (e.g. "parseConfig" or "timeout language:ts").',
      ),
  }),
} as const;

export type RepositoryToolName = keyof typeof REPOSITORY_TOOL_ARGUMENTS;
export type RepositoryToolArguments<N extends RepositoryToolName> = z.infer<
  (typeof REPOSITORY_TOOL_ARGUMENTS)[N]
>;

/** A tool as any model API describes one: a name, what it does, and a JSON Schema of its arguments. */
export interface ToolDefinition {
  name: RepositoryToolName;
  description: string;
  parameters: Record<string, unknown>;
}

const DESCRIPTIONS: Record<RepositoryToolName, string> = {
  list_files:
    'Lists the files of the repository (on its default branch), or of one directory of it, with their sizes in bytes. Long listings are cut.',
  read_file:
    'Reads one text file of the repository (on its default branch), with line numbers. Large files are cut; binary files are refused.',
  search_code:
    'Searches the code of the repository (its default branch) and answers the matching files with the fragments that matched.',
};

/** The repository tools as the model is offered them. */
export const REPOSITORY_TOOL_DEFINITIONS: readonly ToolDefinition[] = (
  Object.keys(REPOSITORY_TOOL_ARGUMENTS) as RepositoryToolName[]
).map((name) => {
  const parameters: Record<string, unknown> = { ...z.toJSONSchema(REPOSITORY_TOOL_ARGUMENTS[name]) };
  // The dialect line means nothing to a model API, and some servers refuse keys they do not know.
  delete parameters['$schema'];
  return { name, description: DESCRIPTIONS[name], parameters };
});

/** What a tool gives back. */
export interface ToolOutput {
  ok: boolean;
  /** One line for the run's timeline ("Read src/app.ts (120 lines)"); never the content itself. */
  summary: string;
  /** What the model is told: the content read, or why there is none. */
  content: string;
  /** How many bytes of the repository the call read, counted against the run's budget. */
  bytes: number;
  /** Set when no tool should run any more in this run (GitHub's rate limit): the reason, for the comment. */
  stopAll?: string;
}

/** A size as tool outputs tell it the model: `200 kB`, `64 kB`, `900 bytes`. */
export function formatBytes(bytes: number): string {
  return bytes < 1_000 ? `${bytes} bytes` : `${Math.round(bytes / 100) / 10} kB`.replace('.0 kB', ' kB');
}

/**
 * Reads one repository for the model. A failure of the service behind (not found, refused, rate
 * limited) is an output with `ok: false` that explains it; only an aborted signal throws (its reason).
 */
export interface RepositoryTools {
  /** `owner/name`. */
  readonly repository: string;
  listFiles(args: RepositoryToolArguments<'list_files'>, signal: AbortSignal): Promise<ToolOutput>;
  /** Reads at most `maxBytes` of the file. */
  readFile(
    args: RepositoryToolArguments<'read_file'> & { maxBytes: number },
    signal: AbortSignal,
  ): Promise<ToolOutput>;
  searchCode(args: RepositoryToolArguments<'search_code'>, signal: AbortSignal): Promise<ToolOutput>;
}
