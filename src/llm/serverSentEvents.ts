// The `data` of each server-sent event in a byte stream (the wire format of streamed chat
// completions), per the WHATWG EventSource parsing rules: lines end in \n, \r\n or \r; an empty
// line ends an event; `data:` lines are joined with \n; lines starting with ':' are comments.

export async function* serverSentEventData(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let lineEnd: RegExpExecArray | null;
      const lineBreak = /\r\n|\r|\n/g;
      let consumed = 0;
      while ((lineEnd = lineBreak.exec(buffer))) {
        // A \r at the very end may be the first half of \r\n: wait for the next chunk.
        if (!done && lineEnd[0] === '\r' && lineEnd.index === buffer.length - 1) break;
        const line = buffer.slice(consumed, lineEnd.index);
        consumed = lineEnd.index + lineEnd[0].length;
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
      buffer = buffer.slice(consumed);
      if (done) {
        if (buffer.startsWith('data:'))
          data.push(buffer.slice(buffer.startsWith('data: ') ? 6 : 5));
        if (data.length > 0) yield data.join('\n');
        return;
      }
    }
  } finally {
    // Ends the response when the reader stops early (a [DONE] event, an error, an abort).
    await reader.cancel().catch(() => {});
  }
}
