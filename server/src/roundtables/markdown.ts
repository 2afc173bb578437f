// Characters that start Markdown (CommonMark/GFM) syntax anywhere in a line: emphasis, code,
// links and images, raw HTML and entities, tables, strikethrough, and the escape itself.
const INLINE = /[\\`*_[\]<>|~&]/g;
// What starts a block only at the beginning of a line: headings, quotes, lists, rules.
const LINE_START = /^(\s*)([#>+\-=]|\d+[.)])/;

function escapeLine(line: string): string {
  return line
    .replace(INLINE, '\\$&')
    .replace(LINE_START, (_, space: string, mark: string) =>
      /^\d/.test(mark) ? `${space}${mark.slice(0, -1)}\\${mark.slice(-1)}` : `${space}\\${mark}`,
    );
}

/**
 * User text inside one line of Markdown (a title in a heading, a name in a list item): shown
 * as typed, never as markup, and kept on its line.
 */
export function mdInline(text: string): string {
  return escapeLine(text.replace(/\s*[\r\n]+\s*/g, ' '));
}

/** User text of several lines (the minutes): each line shown as typed. */
export function mdBlock(text: string): string {
  return text.split(/\r?\n/).map(escapeLine).join('\n');
}
