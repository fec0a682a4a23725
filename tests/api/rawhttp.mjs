// Requests made with node:http where fetch cannot make them: on keep-alive connections opened
// before a long request, and with headers whose body is never sent.
import { Agent, request } from 'node:http';

// The answer of a node:http response: {status, body (parsed JSON or text)}.
export function readAnswer(res) {
  return new Promise((resolve) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d) => { text += d; });
    res.on('end', () => {
      let body = text;
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      resolve({ status: res.statusCode, body });
    });
  });
}

// Keep-alive connections opened before a long request, more than the server has threads: the
// server spreads connections over its threads in turn (http/acceptor.h), so one of them shares
// the long request's thread. A request on every one of them shows whether any waited for it.
export function keptConnections(n = 16) {
  const agent = new Agent({ keepAlive: true, maxSockets: n });
  // {status, body, reused (on a connection opened before)}
  const send = (c, method, path, body, extra = {}) => new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers = { ...c.headers, ...extra };
    if (data !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = Buffer.byteLength(data);
    }
    const req = request(c.srv.base + path, { method, headers, agent }, async (res) => {
      resolve({ ...(await readAnswer(res)), reused: req.reusedSocket });
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

// Sends a POST's headers declaring a body of `bytes` and waits (Expect: 100-continue) for the
// server to ask for it, which it is never given: {status, body, asked}, where asked says the
// server wanted the body before answering (status 0 then).
export function headersOnly(c, path, bytes, extra = {}) {
  return new Promise((resolve, reject) => {
    const headers = { ...c.headers, ...extra, expect: '100-continue', 'content-length': bytes };
    const req = request(c.srv.base + path, { method: 'POST', headers, agent: false });
    let asked = false;
    req.on('continue', () => { asked = true; req.destroy(); resolve({ status: 0, asked }); });
    req.on('response', async (res) => {
      const answer = await readAnswer(res);
      req.destroy();
      resolve({ ...answer, asked });
    });
    req.on('error', (e) => (asked ? undefined : reject(e)));
    req.flushHeaders();
  });
}
