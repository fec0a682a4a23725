// Keep-alive connections opened before a long request, more than the server has threads: the
// server spreads connections over its threads in turn (http/acceptor.h), so one of them shares
// the long request's thread. A request on every one of them shows whether any waited for it.
import { Agent, request } from 'node:http';

export function keptConnections(n = 16) {
  const agent = new Agent({ keepAlive: true, maxSockets: n });
  // {status, body (parsed JSON or text), reused (on a connection opened before)}
  const send = (c, method, path, body, extra = {}) => new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers = { ...c.headers, ...extra };
    if (data !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = Buffer.byteLength(data);
    }
    const req = request(c.srv.base + path, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let parsed = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, body: parsed, reused: req.reusedSocket });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
  const onEach = (c, path) => Promise.all(Array.from({ length: n }, () => send(c, 'GET', path)));
  return {
    n,
    send,
    open: (c) => onEach(c, '/api/v1/me'), // n requests at once open the n connections
    onEach,
    destroy: () => agent.destroy(),
  };
}
