// Runs scanTree in a child process (the unreadable-directory test starts it as another
// user when the tests run as root, since root bypasses permission checks).
// argv[2]: JSON {roots: hex[]}. Prints the rendered events, one JSON string a line, with
// a node's error text appended.
import { render, scanAll } from './fixture.js';

const { roots } = JSON.parse(process.argv[2]!) as { roots: string[] };
const events = scanAll({ roots: roots.map((h) => Buffer.from(h, 'hex')) });
render(events).forEach((line, i) => {
  const ev = events[i]!;
  const error = ev.t === 'dir' || ev.t === 'entry' ? ev.node.error : null;
  process.stdout.write(JSON.stringify(error ? `${line} (${error})` : line) + '\n');
});
