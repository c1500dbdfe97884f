// The `bramble` command: the headless twin of the app, over the same services.
import { runCli } from './run-cli';

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`bramble: ${error.message}\n`);
    process.exitCode = 1;
  },
);
