// `npm start`: serves the production build on localhost and prints its URL on stdout.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppServer } from './server';
import { messageOf } from '../core/errors';

const distDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const port = Number(process.env['PORT'] ?? 8080);
const server = new AppServer(distDir, 'app');
server
  .listen(port, 'localhost')
  .then(() => process.stdout.write(`${server.url}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`dualface: could not serve on port ${port} (${messageOf(error)})\n`);
    process.exit(1);
  });
