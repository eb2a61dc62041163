/** One sample of the Prometheus text format: `name{label="value",…} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-z_:][\w:]*)(?:\{(.*)\})?\s(\S+)(?:\s-?\d+)?$/i;
/** The first label of what is left of a block, so that nothing unreadable is skipped over. */
const FIRST_LABEL = /^(\w+)="((?:[^"\\]|\\.)*)",?/;
const ESCAPE = /\\(.)/g;

/** The samples of an exposition, `# HELP` and `# TYPE` lines skipped; throws on a line it cannot read. */
export function parsePrometheusText(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = SAMPLE_LINE.exec(line);
      if (!match) throw new Error(`Not a sample line: ${line}`);
      const [, name, labels = '', value] = match;
      return { name, labels: labelsOf(labels, line), value: Number(value) };
    });
}

/** The value of the sample `name` whose labels are exactly `labels`, if the exposition has it. */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  const sample = samples.find(
    (candidate) =>
      candidate.name === name && JSON.stringify(Object.entries(candidate.labels).sort()) === wanted,
  );
  return sample?.value;
}

function labelsOf(block: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = block;
  while (rest !== '') {
    const match = FIRST_LABEL.exec(rest);
    if (!match) throw new Error(`Unreadable labels: ${line}`);
    labels[match[1]] = match[2].replace(ESCAPE, (_, char: string) => (char === 'n' ? '\n' : char));
    rest = rest.slice(match[0].length);
  }
  return labels;
}
