// Reads the live stream's answer (GET /api/v1/stream, text/event-stream) event by event, for the API and
// cluster tests and the benchmarks that watch it: `onEvent(event, data)` for each event, its data parsed
// as JSON. Resolves true when the server ends the stream, false when this side aborts it.
export async function readEvents(res, onEvent) {
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return true;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = block.match(/^event: (\S+)$/m)?.[1];
        const data = block.match(/^data: (.*)$/m)?.[1];
        if (ev) onEvent(ev, data === undefined ? undefined : JSON.parse(data));
      }
    }
  } catch {
    return false;
  }
}
