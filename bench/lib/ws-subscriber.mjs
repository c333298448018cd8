/**
 * A WebSocket client of the inspector agent, run as a child process so that parsing the stream
 * does not take CPU time from the process under test. Subscribes, counts what arrives and, when
 * the parent sends 'stop', reports the counts over IPC and exits.
 *
 * Usage: node ws-subscriber.mjs <ws-url>
 */
import WebSocket from 'ws';

const url = process.argv[2];
if (url === undefined) {
  console.error('ws-subscriber: missing argument <ws-url>, such as ws://127.0.0.1:7777/ws?token=…');
  process.exit(2);
}

const counts = { messages: 0, bytes: 0, events: 0, gaps: 0, gapEvents: 0, stats: 0 };
const socket = new WebSocket(url);

socket.on('open', () => {
  socket.send(JSON.stringify({ type: 'subscribe', id: 'bench', protocolVersion: 1 }));
});

socket.on('message', (data) => {
  const text = data.toString();
  counts.messages++;
  counts.bytes += text.length;
  const message = JSON.parse(text);

  if (message.type === 'events') counts.events += message.events.length;
  else if (message.type === 'gap') {
    counts.gaps++;
    counts.gapEvents += message.toSeq - message.fromSeq + 1;
  } else if (message.type === 'stats') counts.stats++;
  else if (message.type === 'ack' && message.command === 'subscribe')
    process.send?.({ type: 'subscribed' });
  else if (message.type === 'error') process.send?.({ type: 'error', message: message.message });
});

socket.on('error', (error) => {
  process.send?.({ type: 'error', message: error.message });
});

process.on('message', (message) => {
  if (message !== 'stop') return;
  process.send?.({ type: 'counts', counts }, () => {
    socket.terminate();
    process.exit(0);
  });
});
