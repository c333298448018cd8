// Starts the demo shop for one end-to-end test and prints one JSON line
// {"apiUrl", "inspectorUrl", "token", "pid"} on stdout. Unlike `node demo/dist/main.js`, it
// passes package options such as a short breaker recovery timeout, given as a JSON argument.
// Each test gets its own process, so no signals from an earlier test's shop show in the graph.
// SIGTERM or SIGINT stops the demo and exits.
import { startDemo } from '@sigscope/demo';

let options;
try {
  options = JSON.parse(process.argv[2] ?? '{}');
} catch (error) {
  console.error(
    `start-demo: the options argument is not JSON (${error.message}): ${process.argv[2]}`,
  );
  process.exit(2);
}

const demo = await startDemo(options);
console.log(
  JSON.stringify({
    apiUrl: demo.apiUrl,
    inspectorUrl: demo.inspectorUrl,
    token: demo.token,
    pid: process.pid,
  }),
);

const shutdown = () => {
  demo.stop().then(
    () => process.exit(0),
    (error) => {
      console.error('start-demo: stopping the demo failed:', error);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
